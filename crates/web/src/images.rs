//! Pictures sent by users (avatars, images in posts): trusted only after they have
//! been decoded within bounds and encoded again by us, so nothing the user sent
//! (metadata such as EXIF and GPS, text chunks, trailing bytes, a polyglot file) is
//! ever served back.
//!
//! The bytes must be a PNG, JPEG, WebP or GIF, of the kind the upload declares,
//! within a size and a number of pixels a side. A small file can describe a huge
//! picture (a 130 KB PNG of 4096×4096 in 16-bit colour decodes into 128 MiB), so the
//! header is read first and a picture whose pixels would take more than
//! [`MAX_DECODED_BYTES`] is refused before any is decoded. A JPEG's orientation tag
//! is applied before it is dropped, so a photo stays upright. A GIF keeps its first
//! frame.

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// The largest side of a picture accepted for decoding.
pub const MAX_INPUT_SIDE: u32 = 4096;

/// The most memory the decoded pixels of a picture may take: 4096×4096 in 8-bit
/// colour with transparency.
pub const MAX_DECODED_BYTES: u64 = 64 * 1024 * 1024;

/// A decoded picture and the format it came in.
pub struct Decoded {
    /// The pixels, upright.
    pub image: DynamicImage,
    /// The format of the bytes sent.
    pub format: ImageFormat,
}

/// Decodes `bytes` (at most `max_bytes`, described in messages as `size_words`,
/// e.g. "2 MB") declared as `declared_type`; a message for the field when refused.
pub fn decode(
    bytes: &[u8],
    declared_type: Option<&str>,
    max_bytes: usize,
    size_words: &str,
) -> Result<Decoded, String> {
    if bytes.is_empty() {
        return Err("choose a picture to upload".into());
    }
    if bytes.len() > max_bytes {
        return Err(format!(
            "that file is over {size_words}; choose a smaller picture"
        ));
    }
    let format = match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP | ImageFormat::Gif)) => f,
        _ => return Err("that file is not a PNG, JPEG, WebP or GIF picture".into()),
    };
    if let Some(declared) = declared_type.map(|t| t.trim().to_ascii_lowercase()) {
        let declared = if declared == "image/jpg" {
            "image/jpeg".to_owned()
        } else {
            declared
        };
        if declared != "application/octet-stream" && declared != mime_of(format) {
            return Err(
                "the file's content does not match its type; save it again as PNG or JPEG".into(),
            );
        }
    }
    let too_large =
        format!("that picture is too large; use one at most {MAX_INPUT_SIDE} pixels a side");
    let unreadable = "that picture could not be read; it may be damaged";
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_INPUT_SIDE);
    limits.max_image_height = Some(MAX_INPUT_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    // The header alone: sides and colour depth say what decoding would take.
    let mut decoder = match reader.into_decoder() {
        Ok(decoder) => decoder,
        Err(image::ImageError::Limits(_)) => return Err(too_large),
        Err(_) => return Err(unreadable.into()),
    };
    if decoder.total_bytes() > MAX_DECODED_BYTES {
        return Err(
            "that picture takes too much memory to read (over 64 MiB decoded); save it smaller or with 8-bit colour"
                .into(),
        );
    }
    let orientation = decoder.orientation().ok();
    let mut image = match DynamicImage::from_decoder(decoder) {
        Ok(image) => image,
        Err(image::ImageError::Limits(_)) => return Err(too_large),
        Err(_) => return Err(unreadable.into()),
    };
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    Ok(Decoded { image, format })
}

/// A picture for a post: `bytes` (at most `max_bytes`, "5 MB" in messages)
/// decoded and encoded anew, a JPEG as JPEG and anything else as PNG; the new
/// bytes and their format, or a message for the field.
pub fn reencode_for_post(
    bytes: &[u8],
    declared_type: Option<&str>,
    max_bytes: usize,
) -> Result<(Vec<u8>, ImageFormat), String> {
    let decoded = decode(bytes, declared_type, max_bytes, "5 MB")?;
    let format = if decoded.format == ImageFormat::Jpeg {
        ImageFormat::Jpeg
    } else {
        ImageFormat::Png
    };
    encode(&decoded.image, format).map(|bytes| (bytes, format))
}

/// The media type of `format`'s files.
pub fn mime_of(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "image/png",
        ImageFormat::Jpeg => "image/jpeg",
        ImageFormat::WebP => "image/webp",
        ImageFormat::Gif => "image/gif",
        _ => "application/octet-stream",
    }
}

/// `image` encoded as `format` (PNG, or JPEG at a quality that keeps photos
/// sharp): new bytes with no metadata.
pub fn encode(image: &DynamicImage, format: ImageFormat) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let failed = |_| "that picture could not be converted; try another".to_owned();
    if format == ImageFormat::Jpeg {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
        image
            .to_rgb8()
            .write_with_encoder(encoder)
            .map_err(failed)?;
    } else {
        image
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .map_err(failed)?;
    }
    Ok(out)
}

/// Property tests standing in for a fuzzer (cargo-fuzz needs a nightly
/// toolchain): real pictures of each accepted format, mutated byte by byte,
/// decode to a picture or to a message, never a panic.
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// A small picture in `format`.
    fn picture(format: ImageFormat) -> Vec<u8> {
        let image = DynamicImage::ImageRgba8(image::RgbaImage::from_fn(9, 7, |x, y| {
            image::Rgba([(x * 28) as u8, (y * 36) as u8, 90, 255])
        }));
        let image = if format == ImageFormat::Jpeg {
            DynamicImage::ImageRgb8(image.to_rgb8())
        } else {
            image
        };
        let mut bytes = std::io::Cursor::new(Vec::new());
        image.write_to(&mut bytes, format).expect("a seed picture");
        bytes.into_inner()
    }

    fn seeds() -> Vec<Vec<u8>> {
        [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::Gif]
            .into_iter()
            .map(picture)
            .collect()
    }

    /// `seed` with each of `edits` replacing, inserting or removing one byte; or
    /// cut short at the first edit's place.
    fn mutated(seed: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
        let mut bytes = seed.to_vec();
        for &(at, byte, op) in edits {
            let at = at % bytes.len().max(1);
            match op % 5 {
                0 => bytes.truncate(at),
                1 => bytes.insert(at.min(bytes.len()), byte),
                2 if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ if at < bytes.len() => bytes[at] = byte,
                _ => bytes.push(byte),
            }
        }
        bytes
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 600,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn mutated_pictures_decode_or_are_refused(
            which in 0_usize..3,
            edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..10),
            declared in proptest::sample::select(vec![None, Some("image/png"), Some("image/jpeg"), Some("text/html")]),
        ) {
            let seeds = seeds();
            let bytes = mutated(&seeds[which], &edits);
            if let Ok(decoded) = decode(&bytes, declared, 1 << 20, "1 MB") {
                prop_assert!(decoded.image.width() > 0 && decoded.image.height() > 0);
            }
            let _ = reencode_for_post(&bytes, declared, 1 << 20);
        }

        #[test]
        fn any_bytes_are_refused_without_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = decode(&bytes, None, 1 << 20, "1 MB");
        }
    }

    #[test]
    fn the_seeds_themselves_decode() {
        for seed in seeds() {
            assert!(decode(&seed, None, 1 << 20, "1 MB").is_ok());
        }
    }
}
