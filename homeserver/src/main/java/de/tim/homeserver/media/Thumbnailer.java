package de.tim.homeserver.media;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import de.tim.matrix.error.MatrixException;

/**
 * Renders thumbnails of JPEG, PNG, GIF (first frame) and BMP images with the JDK's ImageIO. The image's
 * dimensions are read from its header before anything is decoded, so images above the pixel limit
 * (decompression bombs) are refused without allocating their pixels; large images are decoded with
 * subsampling, never at full size when a thumbnail is much smaller. Never upscales.
 */
public final class Thumbnailer {

    /** Content types that can be thumbnailed. */
    public static final Set<String> TYPES = Set.of("image/jpeg", "image/jpg", "image/png", "image/gif", "image/bmp",
            "image/x-ms-bmp");

    static {
        ImageIO.setUseCache(false);
    }

    private final long maxPixels;

    public Thumbnailer(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /** A rendered thumbnail. */
    public record Rendered(byte[] bytes, String contentType, int width, int height) {
    }

    public static boolean supports(String contentType) {
        return contentType != null && TYPES.contains(baseType(contentType));
    }

    /**
     * The thumbnail of the image in {@code in}, or empty if the image is not larger than the requested size
     * (the original is to be served then).
     *
     * @throws MatrixException 413 M_TOO_LARGE above the pixel limit, 400 M_UNKNOWN for undecodable images
     */
    public Optional<Rendered> render(InputStream in, ThumbnailSpec spec) throws IOException {
        try (ImageInputStream images = ImageIO.createImageInputStream(in)) {
            if (images == null) {
                throw undecodable();
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(images);
            if (!readers.hasNext()) {
                throw undecodable();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(images, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw undecodable();
                }
                if ((long) width * height > maxPixels) {
                    throw MatrixException.tooLarge("The image is too large to thumbnail");
                }
                Target target = target(width, height, spec);
                if (target == null) {
                    return Optional.empty();
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int subsampling = (int) Math.max(1, Math.floor(Math.min((double) width / target.scaledWidth,
                        (double) height / target.scaledHeight)));
                param.setSourceSubsampling(subsampling, subsampling, 0, 0);
                BufferedImage source = reader.read(0, param);
                boolean jpeg = "jpeg".equalsIgnoreCase(reader.getFormatName());
                BufferedImage result = draw(source, target, jpeg);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                if (!ImageIO.write(result, jpeg ? "jpeg" : "png", out)) {
                    throw new IOException("no image writer");
                }
                return Optional.of(new Rendered(out.toByteArray(), jpeg ? "image/jpeg" : "image/png",
                        result.getWidth(), result.getHeight()));
            } catch (IOException | IllegalArgumentException | IndexOutOfBoundsException e) {
                throw undecodable();
            } finally {
                reader.dispose();
            }
        }
    }

    /** Scaled size (before cropping) and final size; null when the original is not larger than requested. */
    record Target(int scaledWidth, int scaledHeight, int width, int height) {
    }

    static Target target(int width, int height, ThumbnailSpec spec) {
        if (width <= spec.width() && height <= spec.height()) {
            return null;
        }
        double factor = Math.min(1.0, Math.max((double) spec.width() / width, (double) spec.height() / height));
        int scaledWidth = Math.max(1, (int) Math.ceil(width * factor));
        int scaledHeight = Math.max(1, (int) Math.ceil(height * factor));
        if (spec.method() == ThumbnailSpec.Method.SCALE) {
            if (factor >= 1.0) {
                return null;
            }
            return new Target(scaledWidth, scaledHeight, scaledWidth, scaledHeight);
        }
        return new Target(scaledWidth, scaledHeight, Math.min(scaledWidth, spec.width()),
                Math.min(scaledHeight, spec.height()));
    }

    private static BufferedImage draw(BufferedImage source, Target target, boolean opaque) {
        BufferedImage result = new BufferedImage(target.width, target.height,
                opaque ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = result.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            int x = (target.width - target.scaledWidth) / 2;
            int y = (target.height - target.scaledHeight) / 2;
            g.drawImage(source, x, y, target.scaledWidth, target.scaledHeight, null);
        } finally {
            g.dispose();
        }
        return result;
    }

    static String baseType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static MatrixException undecodable() {
        return new MatrixException(400, "M_UNKNOWN", "Cannot generate a thumbnail for this content");
    }
}
