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
