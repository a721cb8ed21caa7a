//! Media end to end: the files of a page bundle and the files an article
//! refers to go beside its page, and a reference to a missing file fails the
//! build naming file and line.

mod common;

use common::{Site, stderr, stdout};

/// An empty site with a title, in a temp folder.
fn site() -> Site {
    let site = Site {
        dir: tempfile::tempdir().expect("tempdir"),
    };
    site.write(
        "site.toml",
        b"title = \"Gazette\"\nbase_url = \"https://news.example\"\n",
    );
    site
}

const FIRE: &str = "---\ntitle: Harbour fire\ndate: 2020-01-02\n---\nThe fire.\n\n![Flames over the quay](photo.jpg \"Flames over the quay at dawn\")\n\nThe [full report](docs/report.pdf).\n";

#[test]
fn bundle_files_are_copied_beside_the_page_keeping_their_names() {
    let site = site();
    site.write("content/news/harbour-fire/index.md", FIRE.as_bytes());
    site.write("content/news/harbour-fire/photo.jpg", &small_jpeg());
    site.write("content/news/harbour-fire/docs/report.pdf", b"%PDF-1.4");
    site.write("content/news/harbour-fire/interview.mp3", b"ID3");
    site.write("content/news/stray.pdf", b"%PDF-1.4");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "skipped (not in a page bundle and used by no article): content/news/stray.pdf\n"
    );
    let dir = site.public().join("2020/01/02/harbour-fire");
    assert_eq!(size_of(&dir.join("photo.jpg")), (64, 48));
    assert_eq!(
        std::fs::read(dir.join("docs/report.pdf")).expect("pdf"),
        b"%PDF-1.4"
    );
    assert!(dir.join("interview.mp3").is_file());
    assert!(!site.files().iter().any(|f| f.ends_with("stray.pdf")));
    let page = site.page("2020/01/02/harbour-fire/index.html");
    assert!(
        page.contains("<figure><picture><source type=\"image/webp\" srcset=\"photo-64w.webp 64w\" sizes=\"(max-width: 44rem) 100vw, 44rem\"><img src=\"photo.jpg\" srcset=\"photo.jpg 64w\" sizes=\"(max-width: 44rem) 100vw, 44rem\" width=\"64\" height=\"48\" alt=\"Flames over the quay\" decoding=\"async\"></picture><figcaption>Flames over the quay at dawn</figcaption></figure>"),
        "{page}"
    );
}

#[test]
fn a_file_beside_a_plain_article_goes_where_its_page_refers_to_it() {
    let site = site();
    site.write(
        "content/news/2020-01-03-flood.md",
        b"---\ntitle: Flood\n---\nSee ![The river](img/river.png).\n",
    );
    site.write("content/news/img/river.png", &png(&picture(64, 48)));
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        size_of(&site.public().join("2020/01/03/flood/img/river.png")),
        (64, 48)
    );
}

#[test]
fn a_missing_file_is_an_error_naming_file_and_line_in_build_and_check() {
    let site = site();
    site.write(
        "content/news/harbour-fire/index.md",
        b"---\ntitle: Harbour fire\ndate: 2020-01-02\nimage: lead.jpg\n---\nText.\n\n![Gone](gone.png)\n\n[Report](report.pdf)\n",
    );
    let expected = [
        "content/news/harbour-fire/index.md:4: error: lead image (`image`) `lead.jpg` not found: there is no file content/news/harbour-fire/lead.jpg",
        "content/news/harbour-fire/index.md:8: error: image `gone.png` not found: there is no file content/news/harbour-fire/gone.png",
        "content/news/harbour-fire/index.md:10: error: linked file `report.pdf` not found: there is no file content/news/harbour-fire/report.pdf",
    ];
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        assert_eq!(out.status.code(), Some(1), "{command}");
        let err = stderr(&out);
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
        assert_eq!(lines, expected, "{command}");
    }
    assert!(!site.public().exists(), "a failed build writes nothing");
    let out = site.run(&["build", "--skip-invalid"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("index.md:8: warning: image `gone.png` not found"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("4 warnings"), "{}", stdout(&out));
}

#[test]
fn an_image_without_alt_text_is_a_warning() {
    let site = site();
    site.write(
        "content/news/harbour-fire/index.md",
        b"---\ntitle: Harbour fire\ndate: 2020-01-02\n---\nText.\n\n![](photo.jpg)\n",
    );
    site.write("content/news/harbour-fire/photo.jpg", &small_jpeg());
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "content/news/harbour-fire/index.md:7: warning: image `photo.jpg` has no alt text: say what it shows in `![...](photo.jpg)`, for readers who cannot see it\n"
    );
}

#[test]
fn an_html_image_with_empty_alt_is_decorative_and_one_without_alt_is_a_warning() {
    let site = site();
    site.write(
        "content/news/harbour-fire/index.md",
        b"---\ntitle: Harbour fire\ndate: 2020-01-02\n---\nText.\n\n<img src=\"rule.png\" alt=\"\">\n\n<img src=\"photo.jpg\">\n",
    );
    site.write("content/news/harbour-fire/photo.jpg", &small_jpeg());
    site.write("content/news/harbour-fire/rule.png", &png(&picture(64, 4)));
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "content/news/harbour-fire/index.md:9: warning: image `photo.jpg` has no alt text: say what it shows in `![...](photo.jpg)`, for readers who cannot see it\n"
    );
}

#[test]
fn an_unchanged_media_file_is_not_written_again_and_a_changed_one_is() {
    let site = site();
    site.write("content/news/harbour-fire/index.md", FIRE.as_bytes());
    site.write("content/news/harbour-fire/photo.jpg", &small_jpeg());
    site.write("content/news/harbour-fire/docs/report.pdf", b"%PDF");
    let first = site.run(&["build"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let again = site.run(&["build"]);
    assert!(
        stdout(&again).contains(": 0 written to "),
        "{}",
        stdout(&again)
    );
    site.write("content/news/harbour-fire/docs/report.pdf", b"%PDF-1.7");
    let changed = site.run(&["build"]);
    assert!(
        stdout(&changed).contains(": 1 written to "),
        "{}",
        stdout(&changed)
    );
    let pdf = site
        .public()
        .join("2020/01/02/harbour-fire/docs/report.pdf");
    assert_eq!(std::fs::read(pdf).expect("pdf"), b"%PDF-1.7");
}

#[test]
fn the_lead_image_is_shown_with_its_alt_caption_and_credit() {
    let site = site();
    site.write(
        "content/news/harbour-fire/index.md",
        b"---\ntitle: Harbour fire\ndate: 2020-01-02\nimage: lead.jpg\nimage_alt: Fire boats spray the warehouse\nimage_caption: The warehouse at 6 a.m.\nimage_credit: Photo by Ann Lee\n---\nText.\n",
    );
    site.write("content/news/harbour-fire/lead.jpg", &small_jpeg());
    site.write(
        "content/news/2020-01-03-flood.md",
        b"---\ntitle: Flood\nimage: /assets/flood.jpg\nimage_figcaption: 'The river. <a href=\"https://x.org/p\" onclick=\"x()\">Photo</a> <script>bad()</script>'\n---\nText.\n",
    );
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "no unknown keys, no missing alt");
    let page = site.page("2020/01/02/harbour-fire/index.html");
    assert!(
        page.contains("<figure class=\"lead-image\">\n<picture><source type=\"image/webp\" srcset=\"/2020/01/02/harbour-fire/lead-64w.webp 64w\" sizes=\"(max-width: 44rem) 100vw, 44rem\"><img src=\"/2020/01/02/harbour-fire/lead.jpg\" srcset=\"/2020/01/02/harbour-fire/lead.jpg 64w\" sizes=\"(max-width: 44rem) 100vw, 44rem\" width=\"64\" height=\"48\" alt=\"Fire boats spray the warehouse\" decoding=\"async\"></picture>\n<figcaption>The warehouse at 6 a.m. <span class=\"image-credit\">Photo by Ann Lee</span></figcaption>\n</figure>"),
        "{page}"
    );
    let flood = site.page("2020/01/03/flood/index.html");
    assert!(
        flood.contains("<figcaption>The river. <a href=\"https://x.org/p\">Photo</a></figcaption>"),
        "{flood}"
    );
}

#[test]
fn a_local_lead_image_without_alt_text_is_a_warning() {
    let site = site();
    site.write(
        "content/news/harbour-fire/index.md",
        b"---\ntitle: Harbour fire\ndate: 2020-01-02\nimage: lead.jpg\n---\nText.\n",
    );
    site.write("content/news/harbour-fire/lead.jpg", &small_jpeg());
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "content/news/harbour-fire/index.md:4: warning: lead image `lead.jpg` has no `image_alt`: say what it shows, for readers who cannot see it\n"
    );
}

/// A 3000x2000 photo-like picture: gradients and noise, so encoders have
/// real work to do and nothing compresses to nothing.
fn picture(width: u32, height: u32) -> image::RgbImage {
    let mut seed = 0x2545_f491_u32;
    image::RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 32) as u8;
        image::Rgb([
            ((x * 200 / width) as u8).saturating_add(noise),
            ((y * 200 / height) as u8).saturating_add(noise),
            (((x + y) * 100 / (width + height)) as u8).saturating_add(noise),
        ])
    })
}

fn small_jpeg() -> Vec<u8> {
    jpeg(&picture(64, 48))
}

fn jpeg(img: &image::RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(img)
        .expect("encode");
    out
}

fn png(img: &image::RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img.clone())
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode");
    out
}

/// EXIF with an orientation and, when `gps`, a position (Greenwich).
fn exif(orientation: u16, gps: bool) -> Vec<u8> {
    use exif::{Field, In, Rational, Tag, Value};
    let fields = [
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![orientation]),
        },
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"N".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![
                Rational { num: 51, denom: 1 },
                Rational { num: 28, denom: 1 },
                Rational { num: 40, denom: 1 },
            ]),
        },
    ];
    let mut w = exif::experimental::Writer::new();
    let n = if gps { 3 } else { 1 };
    for f in &fields[..n] {
        w.push_field(f);
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    w.write(&mut buf, false).expect("exif");
    buf.into_inner()
}

fn with_exif(jpeg: Vec<u8>, exif: Vec<u8>) -> Vec<u8> {
    use img_parts::ImageEXIF;
    let mut j = img_parts::jpeg::Jpeg::from_bytes(jpeg.into()).expect("jpeg");
    j.set_exif(Some(exif.into()));
    j.encoder().bytes().to_vec()
}

fn size_of(path: &std::path::Path) -> (u32, u32) {
    image::image_dimensions(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What EXIF a published file still carries, if any.
fn exif_of(bytes: &[u8]) -> Option<exif::Exif> {
    exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .ok()
}

const PHOTOS: &str = "---\ntitle: Harbour fire\ndate: 2020-01-02\nimage: lead.jpg\nimage_alt: Fire boats at the quay\nimage_focus: \"0.2,0.5\"\n---\nThe fire.\n\n![Flames over the quay](photo.jpg \"Flames at dawn\")\n\n![A map](map.png)\n\n![Turned](turned.jpg)\n";

/// A bundle with a lead photo, a body photo (with GPS), a PNG and a photo
/// taken on its side (EXIF orientation 6: 3000x2000 stored, 2000x3000 shown).
fn photo_site() -> Site {
    let site = site();
    let big = picture(3000, 2000);
    site.write("content/news/harbour-fire/index.md", PHOTOS.as_bytes());
    site.write("content/news/harbour-fire/lead.jpg", &jpeg(&big));
    site.write(
        "content/news/harbour-fire/photo.jpg",
        &with_exif(jpeg(&big), exif(1, true)),
    );
    site.write(
        "content/news/harbour-fire/map.png",
        &png(&picture(1000, 700)),
    );
    site.write(
        "content/news/harbour-fire/turned.jpg",
        &with_exif(jpeg(&big), exif(6, true)),
    );
    site
}

#[test]
fn photos_get_variants_crops_and_lose_their_metadata() {
    let site = photo_site();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = site.public().join("2020/01/02/harbour-fire");
    for (name, size) in [
        ("photo.jpg", (3000, 2000)),
        ("photo-480w.jpg", (480, 320)),
        ("photo-480w.webp", (480, 320)),
        ("photo-800w.webp", (800, 533)),
        ("photo-1200w.jpg", (1200, 800)),
        ("photo-1600w.jpg", (1600, 1067)),
        ("photo-1600w.webp", (1600, 1067)),
        ("map.png", (1000, 700)),
        ("map-480w.png", (480, 336)),
        ("map-800w.webp", (800, 560)),
        ("map-1000w.webp", (1000, 700)),
        ("turned.jpg", (2000, 3000)),
        ("turned-1600w.jpg", (1600, 2400)),
        ("lead-16x9.jpg", (1200, 675)),
        ("lead-4x3.jpg", (1200, 900)),
        ("lead-1x1.jpg", (1200, 1200)),
    ] {
        assert_eq!(size_of(&dir.join(name)), size, "{name}");
    }
    assert!(
        !dir.join("map-1000w.png").exists(),
        "the original is that one"
    );
    assert!(!dir.join("map-1200w.webp").exists(), "never upscaled");
    for name in [
        "photo.jpg",
        "turned.jpg",
        "photo-1600w.jpg",
        "lead-16x9.jpg",
    ] {
        let bytes = std::fs::read(dir.join(name)).expect("read");
        assert!(exif_of(&bytes).is_none(), "{name} still has EXIF");
    }
    let page = site.page("2020/01/02/harbour-fire/index.html");
    assert!(
        page.contains("<figure><picture><source type=\"image/webp\" srcset=\"photo-480w.webp 480w, photo-800w.webp 800w, photo-1200w.webp 1200w, photo-1600w.webp 1600w\" sizes=\"(max-width: 44rem) 100vw, 44rem\"><img src=\"photo-1600w.jpg\" srcset=\"photo-480w.jpg 480w, photo-800w.jpg 800w, photo-1200w.jpg 1200w, photo-1600w.jpg 1600w\" sizes=\"(max-width: 44rem) 100vw, 44rem\" width=\"1600\" height=\"1067\" alt=\"Flames over the quay\" loading=\"lazy\" decoding=\"async\"></picture><figcaption>Flames at dawn</figcaption></figure>"),
        "{page}"
    );
    assert!(
        page.contains("<img src=\"map.png\" srcset=\"map-480w.png 480w, map-800w.png 800w, map.png 1000w\" sizes=\"(max-width: 44rem) 100vw, 44rem\" width=\"1000\" height=\"700\" alt=\"A map\" loading=\"lazy\""),
        "{page}"
    );
    assert!(
        page.contains("width=\"1600\" height=\"2400\" alt=\"Turned\""),
        "{page}"
    );
    assert!(
        page.contains("<img src=\"/2020/01/02/harbour-fire/lead-1600w.jpg\" srcset=\"/2020/01/02/harbour-fire/lead-480w.jpg 480w,"),
        "{page}"
    );
    let lead = page
        .split("<figure class=\"lead-image\">")
        .nth(1)
        .expect("lead");
    let lead = lead.split("</figure>").next().expect("end");
    assert!(
        !lead.contains("loading=\"lazy\""),
        "the first image loads at once: {lead}"
    );
    assert!(
        page.contains("<meta property=\"og:image\" content=\"https://news.example/2020/01/02/harbour-fire/lead-16x9.jpg\">\n<meta property=\"og:image:width\" content=\"1200\">\n<meta property=\"og:image:height\" content=\"675\">"),
        "{page}"
    );
    let ld = page
        .split("application/ld+json\">")
        .nth(1)
        .expect("json-ld");
    let ld: serde_json::Value =
        serde_json::from_str(ld.split("</script>").next().expect("end")).expect("json");
    assert_eq!(
        ld["image"],
        serde_json::json!([
            "https://news.example/2020/01/02/harbour-fire/lead-16x9.jpg",
            "https://news.example/2020/01/02/harbour-fire/lead-4x3.jpg",
            "https://news.example/2020/01/02/harbour-fire/lead-1x1.jpg"
        ])
    );
}

#[test]
fn metadata_is_kept_when_asked() {
    let site = photo_site();
    site.write(
        "site.toml",
        b"title = \"Gazette\"\n[images]\nkeep_metadata = true\nwidths = [800]\n",
    );
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = site.public().join("2020/01/02/harbour-fire");
    let bytes = std::fs::read(dir.join("photo.jpg")).expect("read");
    let kept = exif_of(&bytes).expect("EXIF kept");
    assert!(
        kept.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
            .is_some()
    );
    assert!(dir.join("photo-800w.webp").is_file());
    assert!(
        !dir.join("photo-480w.webp").exists(),
        "only the widths asked for"
    );
}

#[test]
fn photos_are_made_once_and_a_clean_output_is_refilled_from_the_cache() {
    let site = photo_site();
    let first = site.run(&["build"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let dir = site.public().join("2020/01/02/harbour-fire");
    let webp = std::fs::read(dir.join("photo-800w.webp")).expect("read");
    let again = site.run(&["build"]);
    assert!(
        stdout(&again).contains(": 0 written to "),
        "{}",
        stdout(&again)
    );
    // The pack is what a clean output is refilled from: damage one variant
    // in it and the refilled output shows it was not made again.
    std::fs::remove_dir_all(site.public()).expect("rm public");
    let refilled = site.run(&["build"]);
    assert!(refilled.status.success(), "{}", stderr(&refilled));
    assert_eq!(
        std::fs::read(dir.join("photo-800w.webp")).expect("read"),
        webp
    );
    site.write(
        "content/news/harbour-fire/photo.jpg",
        &jpeg(&picture(1000, 800)),
    );
    let replaced = site.run(&["build"]);
    assert!(replaced.status.success(), "{}", stderr(&replaced));
    assert_eq!(size_of(&dir.join("photo-800w.webp")), (800, 640));
    assert!(
        !dir.join("photo-1600w.webp").exists(),
        "old variants removed"
    );
}

#[test]
fn a_file_that_is_not_a_picture_is_an_error_naming_it() {
    let site = site();
    site.write(
        "content/news/harbour-fire/index.md",
        b"---\ntitle: Harbour fire\ndate: 2020-01-02\n---\n![Fire](photo.jpg)\n",
    );
    site.write("content/news/harbour-fire/photo.jpg", b"not a picture");
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("content/news/harbour-fire/photo.jpg: error: cannot read this image: "),
        "{}",
        stderr(&out)
    );
}

/// Not a test: writes the archive the closing note measures (run with
/// `PHOTO_ARCHIVE=/tmp/dir PHOTOS=1000 cargo test --release --test media
/// -- --ignored --exact write_photo_archive`): PHOTOS articles in page
/// bundles, each with its own 3000x2000 JPEG (ten pictures, each file made
/// unique by a comment segment), and the same archive without the photos.
#[test]
#[ignore]
fn write_photo_archive() {
    use img_parts::jpeg::{Jpeg, JpegSegment};
    let Ok(root) = std::env::var("PHOTO_ARCHIVE") else {
        return;
    };
    let n: usize = std::env::var("PHOTOS").map_or(1000, |v| v.parse().expect("PHOTOS"));
    let bases: Vec<Vec<u8>> = (0..10).map(|k| jpeg(&picture(3000 - k, 2000))).collect();
    for (with, name) in [(true, "photos"), (false, "text")] {
        let site = std::path::Path::new(&root).join(name);
        std::fs::create_dir_all(site.join("content")).expect("mkdir");
        std::fs::write(site.join("site.toml"), "title = \"Photos\"\n").expect("toml");
        for i in 0..n {
            let dir = site.join(format!("content/news/story-{i:04}"));
            std::fs::create_dir_all(&dir).expect("mkdir");
            let day = 1 + i % 28;
            let image = if with {
                "image: photo.jpg\nimage_alt: A picture\n"
            } else {
                ""
            };
            let body = if with {
                "![A picture](photo.jpg \"The caption\")\n"
            } else {
                ""
            };
            let text = format!(
                "---\ntitle: Story {i}\ndate: 2020-{:02}-{day:02}\n{image}---\nText of story {i}.\n\n{body}",
                1 + (i / 28) % 12
            );
            std::fs::write(dir.join("index.md"), text).expect("write");
            if with {
                let mut j = Jpeg::from_bytes(bases[i % 10].clone().into()).expect("jpeg");
                let comment =
                    JpegSegment::new_with_contents(0xFE, format!("photo {i}").into_bytes().into());
                j.segments_mut().insert(1, comment);
                std::fs::write(dir.join("photo.jpg"), j.encoder().bytes()).expect("write");
            }
        }
    }
}

/// Real photographs (CI: `scripts/ci-photos.sh` extracts Debian's
/// mate-backgrounds and sets REAL_PHOTOS to its folder of JPEGs): each one, in
/// a page bundle as lead image and in the body, gets every variant below its
/// width in WebP and JPEG at the right size, three crops of the right ratios,
/// and loses its EXIF; the page shows it as a `<picture>` with width and
/// height.
#[test]
#[ignore = "needs REAL_PHOTOS, a folder of real JPEG photographs: run by scripts/ci-photos.sh"]
fn real_photographs_get_variants_crops_and_lose_their_metadata() {
    let from = std::env::var("REAL_PHOTOS").expect("REAL_PHOTOS: a folder of JPEG photographs");
    let mut photos: Vec<_> = std::fs::read_dir(&from)
        .expect("REAL_PHOTOS")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("jpg")))
        .collect();
    photos.sort();
    assert!(photos.len() >= 5, "too few photographs in {from}");
    let site = site();
    let mut with_exif = 0;
    for (i, photo) in photos.iter().enumerate() {
        let bytes = std::fs::read(photo).expect("read photo");
        with_exif += usize::from(exif_of(&bytes).is_some());
        let dir = format!("content/photos/photo-{i:02}");
        site.write(&format!("{dir}/photo.jpg"), &bytes);
        site.write(
            &format!("{dir}/index.md"),
            format!("---\ntitle: Photo {i}\ndate: 2021-05-{:02}\nimage: photo.jpg\nimage_alt: A photograph\n---\nText.\n\n![A photograph](photo.jpg \"The caption\")\n", i + 1).as_bytes(),
        );
    }
    assert!(with_exif > 0, "no photograph in {from} has EXIF to strip");
    // CI builds with the release binary: a debug build takes minutes here.
    let out = match std::env::var("BROADSHEET_BIN") {
        Ok(bin) => std::process::Command::new(bin)
            .args(["build", "--root"])
            .arg(site.root())
            .output()
            .expect("run broadsheet"),
        Err(_) => site.run(&["build"]),
    };
    assert!(out.status.success(), "{}", stderr(&out));
    for i in 0..photos.len() {
        let page_dir = format!("2021/05/{:02}/photo-{i:02}", i + 1);
        let dir = site.public().join(&page_dir);
        let (w, h) = size_of(&dir.join("photo.jpg"));
        for name in [
            "photo.jpg",
            "photo-16x9.jpg",
            "photo-4x3.jpg",
            "photo-1x1.jpg",
        ] {
            let bytes = std::fs::read(dir.join(name)).expect(name);
            assert!(
                exif_of(&bytes).is_none(),
                "{page_dir}/{name} still has EXIF"
            );
        }
        let mut widths = Vec::new();
        for v in [480, 800, 1200, 1600].into_iter().filter(|&v| v < w) {
            let vh = (f64::from(h) * f64::from(v) / f64::from(w)).round() as u32;
            for ext in ["jpg", "webp"] {
                let name = format!("photo-{v}w.{ext}");
                let (gw, gh) = size_of(&dir.join(&name));
                assert!(
                    gw == v && gh.abs_diff(vh) <= 1,
                    "{page_dir}/{name}: {gw}x{gh}, not {v}x{vh}"
                );
            }
            widths.push(format!("photo-{v}w.webp {v}w"));
        }
        for (name, ratio) in [
            ("photo-16x9.jpg", 16.0 / 9.0),
            ("photo-4x3.jpg", 4.0 / 3.0),
            ("photo-1x1.jpg", 1.0),
        ] {
            let (cw, ch) = size_of(&dir.join(name));
            let got = f64::from(cw) / f64::from(ch);
            assert!((got - ratio).abs() < 0.01, "{page_dir}/{name}: {cw}x{ch}");
            assert!(cw <= w && ch <= h, "{page_dir}/{name} is upscaled");
        }
        let page = site.page(&format!("{page_dir}/index.html"));
        if !widths.is_empty() {
            let srcset = format!(
                "<picture><source type=\"image/webp\" srcset=\"{}",
                widths.join(", ")
            );
            assert!(
                page.contains(&srcset),
                "{page_dir}: no `{srcset}` in {page}"
            );
        }
        assert!(page.contains("alt=\"A photograph\""), "{page}");
        assert!(
            page.contains("<figcaption>The caption</figcaption>"),
            "{page}"
        );
    }
}
