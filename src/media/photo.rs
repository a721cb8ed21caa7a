//! One photo: what it is (`probe`: size after EXIF orientation, read from
//! its header), what is made of it (`Layout`: responsive variants at the
//! configured widths, never wider than the photo; for a lead image its 16:9,
//! 4:3 and 1:1 crops around a focus point), and the making (`process`:
//! decode, orient, resize with `fast_image_resize`, encode as WebP with
//! libwebp and in the photo's own format; the published original loses its
//! EXIF, GPS, XMP and IPTC metadata unless `keep_metadata`). Pure functions
//! of bytes and settings: no file I/O.

use std::io::Cursor;

use fast_image_resize::{self as fr, IntoImageView};
use image::{DynamicImage, ImageDecoder, metadata::Orientation};

use crate::config::ImagesConfig;

/// Bumped whenever `process` makes different bytes from the same input.
pub const PROCESS_VERSION: &[u8] = b"photo/1";

/// The raster formats that get variants; GIF and SVG are passed through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Raster {
    Jpeg,
    Png,
    WebP,
}

impl Raster {
    /// By the file's extension (what the browser and the server go by).
    pub fn of(path: &str) -> Option<Raster> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Raster::Jpeg),
            "png" => Some(Raster::Png),
            "webp" => Some(Raster::WebP),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Raster::Jpeg => "image/jpeg",
            Raster::Png => "image/png",
            Raster::WebP => "image/webp",
        }
    }
}

/// A photo's size as shown (EXIF orientation applied) and its orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    pub width: u32,
    pub height: u32,
    /// The EXIF orientation value, 1 (none) to 8.
    pub orientation: u8,
}

/// Reads a photo's header: its size and EXIF orientation.
pub fn probe(bytes: &[u8]) -> Result<Probe, String> {
    let mut decoder = decoder(bytes)?;
    let (w, h) = decoder.dimensions();
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let turned = matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    );
    let (width, height) = if turned { (h, w) } else { (w, h) };
    if width == 0 || height == 0 {
        return Err("the image has no pixels".into());
    }
    Ok(Probe {
        width,
        height,
        orientation: orientation.to_exif(),
    })
}

fn decoder(bytes: &[u8]) -> Result<impl ImageDecoder + use<'_>, String> {
    image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .into_decoder()
        .map_err(|e| e.to_string())
}

/// One responsive variant: a width and the height that keeps the ratio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
}

/// One crop for search engines and social cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Crop {
    /// `16x9`, `4x3`, `1x1`.
    pub label: &'static str,
    /// The region of the oriented photo: left, top, width, height.
    pub region: (u32, u32, u32, u32),
    /// The size it is scaled to.
    pub width: u32,
    pub height: u32,
}

/// Everything made of one photo.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Layout {
    pub format: Raster,
    pub width: u32,
    pub height: u32,
    /// Narrowest first; the widest may be the photo's own width, whose
    /// fallback is the published original itself.
    pub variants: Vec<Variant>,
    pub crops: Vec<Crop>,
}

/// The crop ratios Google's article guidelines ask for.
pub const RATIOS: [(&str, u32, u32); 3] = [("16x9", 16, 9), ("4x3", 4, 3), ("1x1", 1, 1)];

impl Layout {
    /// What to make of a photo of `probe`'s size: variants at every
    /// configured width below its own (and its own width when that is below
    /// the widest configured), when `variants`; crops when `focus` is given.
    pub fn new(
        format: Raster,
        probe: Probe,
        cfg: &ImagesConfig,
        variants: bool,
        focus: Option<(f32, f32)>,
    ) -> Layout {
        let (w, h) = (probe.width, probe.height);
        let scaled = |width: u32| Variant {
            width,
            height: ((u64::from(h) * u64::from(width) + u64::from(w) / 2) / u64::from(w)).max(1)
                as u32,
        };
        let mut list: Vec<Variant> = Vec::new();
        if variants {
            list = cfg
                .widths
                .iter()
                .filter(|&&x| x < w)
                .map(|&x| scaled(x))
                .collect();
            if cfg.widths.last().is_some_and(|&max| w <= max) {
                list.push(Variant {
                    width: w,
                    height: h,
                });
            }
        }
        let crops = match focus {
            Some(f) => RATIOS
                .iter()
                .map(|&(label, rw, rh)| crop(w, h, (rw, rh), f, label, cfg.crop_width))
                .collect(),
            None => Vec::new(),
        };
        Layout {
            format,
            width: w,
            height: h,
            variants: list,
            crops,
        }
    }
}

/// The largest region of ratio `rw:rh` that fits, centred on the focus as
/// far as the edges allow, scaled to `target` wide (never up).
fn crop(
    w: u32,
    h: u32,
    (rw, rh): (u32, u32),
    (fx, fy): (f32, f32),
    label: &'static str,
    target: u32,
) -> Crop {
    let (w64, h64) = (u64::from(w), u64::from(h));
    let (cw, ch) = if w64 * u64::from(rh) > h64 * u64::from(rw) {
        ((h64 * u64::from(rw) / u64::from(rh)) as u32, h)
    } else {
        (w, (w64 * u64::from(rh) / u64::from(rw)) as u32)
    };
    let (cw, ch) = (cw.max(1), ch.max(1));
    let place = |size: u32, part: u32, f: f32| {
        let centre = (f64::from(size) * f64::from(f)).round() as i64;
        (centre - i64::from(part) / 2).clamp(0, i64::from(size - part)) as u32
    };
    let width = cw.min(target);
    let height =
        ((u64::from(ch) * u64::from(width) + u64::from(cw) / 2) / u64::from(cw)).max(1) as u32;
    Crop {
        label,
        region: (place(w, cw, fx), place(h, ch, fy), cw, ch),
        width,
        height,
    }
}

/// The names of what is made of the photo published as `name` (a file
/// name, `photo.jpg`), each with what it is.
pub fn variant_name(name: &str, width: u32, webp: bool) -> String {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let ext = if webp { "webp" } else { ext };
    format!("{stem}-{width}w.{ext}")
}

pub fn crop_name(name: &str, label: &str) -> String {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    format!("{stem}-{label}.{ext}")
}

/// The names `process` gives what it makes of the photo published as
/// `name`, in the same order.
pub fn made_names(name: &str, layout: &Layout) -> Vec<String> {
    let mut names = vec![name.to_string()];
    for v in &layout.variants {
        names.push(variant_name(name, v.width, true));
        if v.width != layout.width && layout.format != Raster::WebP {
            names.push(variant_name(name, v.width, false));
        }
    }
    names.extend(layout.crops.iter().map(|c| crop_name(name, c.label)));
    names
}

/// The files made of one photo, by name relative to the original's folder
/// (the original itself under its own `name`).
pub type Made = Vec<(String, Vec<u8>)>;

/// Makes everything `layout` lists of the photo `bytes` published as `name`.
pub fn process(
    name: &str,
    bytes: &[u8],
    layout: &Layout,
    cfg: &ImagesConfig,
) -> Result<Made, String> {
    let mut decoder = decoder(bytes)?;
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    img.apply_orientation(orientation);
    let img = normalise(img);
    let mut made = Made::new();
    let turned = orientation != Orientation::NoTransforms;
    let original = match (cfg.keep_metadata, turned) {
        (true, _) => bytes.to_vec(),
        // The pixels must be turned as the EXIF said, which is then gone.
        (false, true) => encode(&img, layout.format, cfg)?,
        (false, false) => strip_metadata(bytes, layout.format)?,
    };
    made.push((name.to_string(), original));
    let mut resizer = fr::Resizer::new();
    for v in &layout.variants {
        let small = if v.width == layout.width {
            None
        } else {
            Some(resize(&mut resizer, &img, None, (v.width, v.height))?)
        };
        let pic = small.as_ref().unwrap_or(&img);
        made.push((variant_name(name, v.width, true), webp(pic, cfg)?));
        if small.is_some() && layout.format != Raster::WebP {
            made.push((
                variant_name(name, v.width, false),
                encode(pic, layout.format, cfg)?,
            ));
        }
    }
    for c in &layout.crops {
        let pic = resize(&mut resizer, &img, Some(c.region), (c.width, c.height))?;
        made.push((crop_name(name, c.label), encode(&pic, layout.format, cfg)?));
    }
    Ok(made)
}

/// 8-bit RGB, or RGBA when the photo has transparency.
fn normalise(img: DynamicImage) -> DynamicImage {
    match img {
        DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => img,
        other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.to_rgba8()),
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    }
}

/// `img` (or its `region`) scaled to `size` with a Lanczos filter.
fn resize(
    resizer: &mut fr::Resizer,
    img: &DynamicImage,
    region: Option<(u32, u32, u32, u32)>,
    (w, h): (u32, u32),
) -> Result<DynamicImage, String> {
    let pixel = img.pixel_type().ok_or("unsupported pixel type")?;
    let mut dst = fr::images::Image::new(w, h, pixel);
    let mut opts =
        fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
    if let Some((x, y, cw, ch)) = region {
        opts = opts.crop(f64::from(x), f64::from(y), f64::from(cw), f64::from(ch));
    }
    resizer
        .resize(img, &mut dst, &opts)
        .map_err(|e| e.to_string())?;
    let raw = dst.into_vec();
    let out = match img {
        DynamicImage::ImageRgba8(_) => {
            image::RgbaImage::from_raw(w, h, raw).map(DynamicImage::ImageRgba8)
        }
        _ => image::RgbImage::from_raw(w, h, raw).map(DynamicImage::ImageRgb8),
    };
    out.ok_or_else(|| "resized image has the wrong size".to_string())
}

/// Lossy WebP (libwebp).
fn webp(img: &DynamicImage, cfg: &ImagesConfig) -> Result<Vec<u8>, String> {
    let (w, h) = (img.width(), img.height());
    let encoder = match img {
        DynamicImage::ImageRgba8(p) => webp::Encoder::from_rgba(p.as_raw(), w, h),
        DynamicImage::ImageRgb8(p) => webp::Encoder::from_rgb(p.as_raw(), w, h),
        _ => return Err("unsupported pixel type".into()),
    };
    Ok(encoder.encode(f32::from(cfg.webp_quality)).to_vec())
}

/// In the photo's own format: JPEG at the configured quality, PNG, or
/// lossy WebP.
fn encode(img: &DynamicImage, format: Raster, cfg: &ImagesConfig) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match format {
        Raster::Jpeg => {
            let rgb = match img {
                DynamicImage::ImageRgb8(p) => std::borrow::Cow::Borrowed(p),
                other => std::borrow::Cow::Owned(other.to_rgb8()),
            };
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, cfg.quality)
                .encode_image(&*rgb)
                .map_err(|e| e.to_string())?;
        }
        Raster::Png => {
            let encoder = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Fast,
                image::codecs::png::FilterType::Adaptive,
            );
            img.write_with_encoder(encoder).map_err(|e| e.to_string())?;
        }
        Raster::WebP => return webp(img, cfg),
    }
    Ok(out)
}

/// The same picture without its EXIF (and GPS), XMP and IPTC blocks; the
/// colour profile is kept. Nothing is decoded: the pixels are untouched.
pub fn strip_metadata(bytes: &[u8], format: Raster) -> Result<Vec<u8>, String> {
    let data = img_parts::Bytes::copy_from_slice(bytes);
    let out = match format {
        Raster::Jpeg => {
            let mut jpeg = img_parts::jpeg::Jpeg::from_bytes(data).map_err(|e| e.to_string())?;
            // APP1: EXIF and XMP; APP13: IPTC (Photoshop).
            jpeg.segments_mut()
                .retain(|s| !matches!(s.marker(), 0xE1 | 0xED));
            jpeg.encoder().bytes()
        }
        Raster::Png => {
            let mut png = img_parts::png::Png::from_bytes(data).map_err(|e| e.to_string())?;
            png.chunks_mut()
                .retain(|c| !matches!(&c.kind(), b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME"));
            png.encoder().bytes()
        }
        Raster::WebP => {
            use img_parts::ImageEXIF;
            let mut webp = img_parts::webp::WebP::from_bytes(data).map_err(|e| e.to_string())?;
            webp.remove_chunks_by_id(*b"XMP ");
            webp.set_exif(None);
            webp.encoder().bytes()
        }
    };
    Ok(out.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe_of(width: u32, height: u32) -> Probe {
        Probe {
            width,
            height,
            orientation: 1,
        }
    }

    #[test]
    fn variants_are_never_wider_than_the_photo() {
        let cfg = ImagesConfig::default();
        let big = Layout::new(Raster::Jpeg, probe_of(3000, 2000), &cfg, true, None);
        let sizes: Vec<(u32, u32)> = big.variants.iter().map(|v| (v.width, v.height)).collect();
        assert_eq!(sizes, [(480, 320), (800, 533), (1200, 800), (1600, 1067)]);
        let small = Layout::new(Raster::Png, probe_of(1000, 500), &cfg, true, None);
        let sizes: Vec<(u32, u32)> = small.variants.iter().map(|v| (v.width, v.height)).collect();
        assert_eq!(sizes, [(480, 240), (800, 400), (1000, 500)]);
        let tiny = Layout::new(Raster::Png, probe_of(100, 80), &cfg, true, None);
        assert_eq!(
            tiny.variants,
            [Variant {
                width: 100,
                height: 80
            }]
        );
    }

    #[test]
    fn crops_have_their_ratios_and_follow_the_focus() {
        let cfg = ImagesConfig::default();
        let l = Layout::new(
            Raster::Jpeg,
            probe_of(3000, 2000),
            &cfg,
            false,
            Some((0.5, 0.5)),
        );
        type Row<'a> = (&'a str, (u32, u32, u32, u32), u32, u32);
        let got: Vec<Row> = l
            .crops
            .iter()
            .map(|c| (c.label, c.region, c.width, c.height))
            .collect();
        assert_eq!(
            got,
            [
                ("16x9", (0, 157, 3000, 1687), 1200, 675),
                ("4x3", (167, 0, 2666, 2000), 1200, 900),
                ("1x1", (500, 0, 2000, 2000), 1200, 1200),
            ]
        );
        let left = Layout::new(
            Raster::Jpeg,
            probe_of(3000, 2000),
            &cfg,
            false,
            Some((0.0, 1.0)),
        );
        assert_eq!(left.crops[2].region, (0, 0, 2000, 2000));
        assert_eq!(left.crops[0].region, (0, 313, 3000, 1687));
        let small = Layout::new(
            Raster::Jpeg,
            probe_of(800, 600),
            &cfg,
            false,
            Some((0.5, 0.5)),
        );
        assert_eq!((small.crops[0].width, small.crops[0].height), (800, 450));
    }

    #[test]
    fn names_of_what_is_made() {
        assert_eq!(variant_name("photo.jpg", 480, true), "photo-480w.webp");
        assert_eq!(variant_name("photo.jpeg", 480, false), "photo-480w.jpeg");
        assert_eq!(crop_name("a.b.png", "16x9"), "a.b-16x9.png");
    }
}
