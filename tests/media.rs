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
    site.write("content/news/harbour-fire/photo.jpg", b"jpeg bytes");
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
    assert_eq!(
        std::fs::read(dir.join("photo.jpg")).expect("photo"),
        b"jpeg bytes"
    );
    assert_eq!(
        std::fs::read(dir.join("docs/report.pdf")).expect("pdf"),
        b"%PDF-1.4"
    );
    assert!(dir.join("interview.mp3").is_file());
    assert!(!site.files().iter().any(|f| f.ends_with("stray.pdf")));
    let page = site.page("2020/01/02/harbour-fire/index.html");
    assert!(
        page.contains("<figure><img src=\"photo.jpg\" alt=\"Flames over the quay\" /><figcaption>Flames over the quay at dawn</figcaption></figure>"),
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
    site.write("content/news/img/river.png", b"png bytes");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(site.public().join("2020/01/03/flood/img/river.png")).expect("copied"),
        b"png bytes"
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
    site.write("content/news/harbour-fire/photo.jpg", b"jpeg");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "content/news/harbour-fire/index.md:7: warning: image `photo.jpg` has no alt text: say what it shows in `![...](photo.jpg)`, for readers who cannot see it\n"
    );
}

#[test]
fn an_unchanged_media_file_is_not_written_again_and_a_changed_one_is() {
    let site = site();
    site.write("content/news/harbour-fire/index.md", FIRE.as_bytes());
    site.write("content/news/harbour-fire/photo.jpg", b"first");
    site.write("content/news/harbour-fire/docs/report.pdf", b"%PDF");
    let first = site.run(&["build"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let again = site.run(&["build"]);
    assert!(
        stdout(&again).contains(": 0 written to "),
        "{}",
        stdout(&again)
    );
    site.write("content/news/harbour-fire/photo.jpg", b"second");
    let changed = site.run(&["build"]);
    assert!(
        stdout(&changed).contains(": 1 written to "),
        "{}",
        stdout(&changed)
    );
    let photo = site.public().join("2020/01/02/harbour-fire/photo.jpg");
    assert_eq!(std::fs::read(photo).expect("photo"), b"second");
}

#[test]
fn the_lead_image_is_shown_with_its_alt_caption_and_credit() {
    let site = site();
    site.write(
        "content/news/harbour-fire/index.md",
        b"---\ntitle: Harbour fire\ndate: 2020-01-02\nimage: lead.jpg\nimage_alt: Fire boats spray the warehouse\nimage_caption: The warehouse at 6 a.m.\nimage_credit: Photo by Ann Lee\n---\nText.\n",
    );
    site.write("content/news/harbour-fire/lead.jpg", b"jpeg");
    site.write(
        "content/news/2020-01-03-flood.md",
        b"---\ntitle: Flood\nimage: /assets/flood.jpg\nimage_figcaption: 'The river. <a href=\"https://x.org/p\" onclick=\"x()\">Photo</a> <script>bad()</script>'\n---\nText.\n",
    );
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "no unknown keys, no missing alt");
    let page = site.page("2020/01/02/harbour-fire/index.html");
    assert!(
        page.contains("<figure class=\"lead-image\">\n<img src=\"/2020/01/02/harbour-fire/lead.jpg\" alt=\"Fire boats spray the warehouse\">\n<figcaption>The warehouse at 6 a.m. <span class=\"image-credit\">Photo by Ann Lee</span></figcaption>\n</figure>"),
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
    site.write("content/news/harbour-fire/lead.jpg", b"jpeg");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "content/news/harbour-fire/index.md:4: warning: lead image `lead.jpg` has no `image_alt`: say what it shows, for readers who cannot see it\n"
    );
}
