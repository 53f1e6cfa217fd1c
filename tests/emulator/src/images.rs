//! Image URLs and the placeholder PNGs served for them.
//!
//! The data's image URLs point at hosts these machines cannot reach. The emulator serves each
//! image itself under `/images/<path>`, where `<path>` is the original URL's path (for
//! `https://images.pokemontcg.io/xy7/96.png` it is `xy7/96.png`). The picture is a small solid
//! rectangle whose colour is derived from the path, so two different images never share bytes
//! by accident and a client's image cache can be tested offline.

use crate::hashing::hash_parts;

/// The URL path prefix under which images are served.
pub const IMAGES_PREFIX: &str = "/images/";

/// Returns the path part of an absolute `http(s)` URL, without its leading slash.
pub fn image_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let slash = rest.find('/')?;
    let path = &rest[slash + 1..];
    (!path.is_empty()).then_some(path)
}

/// Returns the emulator's URL for an image path, given the origin `http://127.0.0.1:PORT`.
pub fn image_url(origin: &str, path: &str) -> String {
    format!("{origin}{IMAGES_PREFIX}{path}")
}

/// The kinds of image in the data, which get different sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ImageKind {
    CardSmall,
    CardLarge,
    SetSymbol,
    SetLogo,
}

impl ImageKind {
    /// Guesses the kind from the path, e.g. `xy7/96_hires.png` or `pokemon/me2pt5-1/large`.
    fn of_path(path: &str) -> ImageKind {
        let stem = path.rsplit('/').next().unwrap_or(path);
        let stem = stem.strip_suffix(".png").unwrap_or(stem);
        if stem == "symbol" {
            ImageKind::SetSymbol
        } else if stem == "logo" {
            ImageKind::SetLogo
        } else if stem.ends_with("_hires") || stem == "large" {
            ImageKind::CardLarge
        } else {
            ImageKind::CardSmall
        }
    }

    /// Width and height in pixels: card images keep the 63:88 shape of a card.
    fn size(self) -> (u32, u32) {
        match self {
            ImageKind::CardSmall => (36, 50),
            ImageKind::CardLarge => (72, 100),
            ImageKind::SetSymbol => (24, 24),
            ImageKind::SetLogo => (64, 24),
        }
    }
}

/// Encodes the placeholder PNG for an image path.
pub fn placeholder_png(path: &str) -> Result<Vec<u8>, png::EncodingError> {
    let (width, height) = ImageKind::of_path(path).size();
    let colour = hash_parts(&[b"image colour", path.as_bytes()]).to_le_bytes();
    let pixel = [colour[0], colour[1], colour[2]];
    let pixel_count = usize::try_from(width * height).unwrap_or(0);
    let pixels = pixel.repeat(pixel_count);

    let mut bytes = Vec::with_capacity(128);
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(bytes)
}

/// Returns a strong entity tag for an image path; the picture depends on nothing else.
pub fn entity_tag(path: &str) -> String {
    format!("\"{:016x}\"", hash_parts(&[b"image etag", path.as_bytes()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_path_strips_scheme_and_host() {
        assert_eq!(
            image_path("https://images.pokemontcg.io/xy7/96_hires.png"),
            Some("xy7/96_hires.png")
        );
        assert_eq!(
            image_path("https://images.scrydex.com/pokemon/me2pt5-1/small"),
            Some("pokemon/me2pt5-1/small")
        );
        assert_eq!(image_path("images.pokemontcg.io/xy7/96.png"), None);
        assert_eq!(image_path("https://images.pokemontcg.io/"), None);
    }

    #[test]
    fn kinds_follow_path_names() {
        assert_eq!(ImageKind::of_path("xy7/96.png"), ImageKind::CardSmall);
        assert_eq!(ImageKind::of_path("xy7/96_hires.png"), ImageKind::CardLarge);
        assert_eq!(
            ImageKind::of_path("pokemon/me2pt5-1/large"),
            ImageKind::CardLarge
        );
        assert_eq!(ImageKind::of_path("base1/symbol.png"), ImageKind::SetSymbol);
        assert_eq!(
            ImageKind::of_path("pokemon/me2pt5-logo/logo"),
            ImageKind::SetLogo
        );
    }

    #[test]
    fn placeholder_is_png_of_kind_size() {
        let bytes = placeholder_png("xy7/96_hires.png").expect("encode");
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().expect("decode");
        assert_eq!(reader.info().width, 72);
        assert_eq!(reader.info().height, 100);
    }

    #[test]
    fn placeholders_differ_between_paths() {
        let small = placeholder_png("xy7/96.png").expect("encode");
        let other = placeholder_png("xy7/97.png").expect("encode");
        assert_ne!(small, other);
    }
}
