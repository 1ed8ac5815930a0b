package io.graft.runtime.scenario;

import io.graft.runtime.UserException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files of the MNIST family (MNIST, Fashion-MNIST, KMNIST...), gzipped or not: gzip is
 * recognised by its magic bytes {@code 1f 8b}, not by the file name.
 *
 * <p>Image files have magic {@code 0x00000803} (unsigned bytes, 3 dimensions: count, rows, columns);
 * label files {@code 0x00000801} (unsigned bytes, 1 dimension: count). Every problem is reported as a
 * {@link UserException} with exit code {@link UserException#BAD_DATA} and one line that names the file,
 * what is wrong and the fix.
 */
public final class IdxFile {

    /** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int CHUNK = 1 << 16;
    private static final float[] SCALE = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            SCALE[i] = i / 255f;
        }
    }

    private IdxFile() {}

    /**
     * The pixels of an image file.
     *
     * @param count number of images
     * @param rows image height
     * @param cols image width
     * @param pixels {@code count * rows * cols} values in {@code [0, 1]}
     */
    public record Images(int count, int rows, int cols, float[] pixels) {}

    /**
     * Reads an image file and its label file into one set, checking that they agree.
     *
     * @param images the {@code *-images-idx3-ubyte[.gz]} file
     * @param labels the matching {@code *-labels-idx1-ubyte[.gz]} file
     * @return the images with their labels
     * @throws UserException (BAD_DATA) naming the file and the fix
     */
    public static ImageSet read(Path images, Path labels) {
        Images im = readImages(images);
        int[] lab = readLabels(labels);
        if (lab.length != im.count()) {
            throw bad(images + " has " + im.count() + " images but " + labels + " has " + lab.length
                    + " labels; use the matching pair of files of one data set");
        }
        return new ImageSet(im.pixels(), lab, im.rows(), im.cols());
    }

    /**
     * Reads an image file.
     *
     * @param file an IDX image file, gzipped or not
     * @return its pixels scaled to {@code [0, 1]}
     * @throws UserException (BAD_DATA) naming the file and the fix
     */
    public static Images readImages(Path file) {
        try (InputStream in = open(file)) {
            int magic = header(in, file, "image");
            if (magic != IMAGES_MAGIC) {
                throw wrongMagic(file, magic, IMAGES_MAGIC, "image");
            }
            int count = header(in, file, "image");
            int rows = header(in, file, "image");
            int cols = header(in, file, "image");
            if (count < 0 || rows <= 0 || cols <= 0) {
                throw bad(file + " has an invalid IDX header (" + count + " images of " + rows + "x" + cols
                        + "); re-copy the file");
            }
            long total = (long) count * rows * cols;
            if (total > Integer.MAX_VALUE - 16) {
                throw bad(file + " is too large: " + count + " images of " + rows + "x" + cols
                        + " do not fit in one array; use a smaller data set");
            }
            float[] pixels = new float[(int) total];
            byte[] chunk = new byte[CHUNK];
            int done = 0;
            boolean truncated = false;
            while (done < pixels.length) {
                int want = Math.min(CHUNK, pixels.length - done);
                int got;
                try {
                    got = in.readNBytes(chunk, 0, want);
                } catch (EOFException e) {
                    got = -1; // a gzip stream that ends early
                }
                if (got > 0) {
                    for (int k = 0; k < got; k++) {
                        pixels[done + k] = SCALE[chunk[k] & 0xff];
                    }
                    done += got;
                }
                if (got < want) {
                    truncated = true;
                    break;
                }
            }
            if (truncated) {
                long present = (long) done / ((long) rows * cols);
                throw bad(file + " is truncated: header promises " + count + " images of " + rows + "x" + cols
                        + " but only " + present + " are there; re-copy the file");
            }
            expectEnd(in, file, count + " images");
            return new Images(count, rows, cols, pixels);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * Reads a label file.
     *
     * @param file an IDX label file, gzipped or not
     * @return the labels, each in {@code 0..255}
     * @throws UserException (BAD_DATA) naming the file and the fix
     */
    public static int[] readLabels(Path file) {
        try (InputStream in = open(file)) {
            int magic = header(in, file, "label");
            if (magic != LABELS_MAGIC) {
                throw wrongMagic(file, magic, LABELS_MAGIC, "label");
            }
            int count = header(in, file, "label");
            if (count < 0) {
                throw bad(file + " has an invalid IDX header (" + count + " labels); re-copy the file");
            }
            byte[] raw;
            try {
                raw = in.readNBytes(count);
            } catch (EOFException e) {
                raw = new byte[0];
            }
            if (raw.length < count) {
                throw bad(file + " is truncated: header promises " + count + " labels but only " + raw.length
                        + " are there; re-copy the file");
            }
            expectEnd(in, file, count + " labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xff;
            }
            return labels;
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * @param file a file
     * @return whether it starts with the gzip magic bytes
     * @throws IOException if it cannot be read
     */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new GZIPInputStream(in, CHUNK);
        }
        return in;
    }

    private static int header(InputStream in, Path file, String kind) throws IOException {
        byte[] b;
        try {
            b = in.readNBytes(4);
        } catch (EOFException e) {
            b = new byte[0];
        }
        if (b.length < 4) {
            throw bad(file + " is truncated: it ends inside the IDX " + kind + " header; re-copy the file");
        }
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    private static void expectEnd(InputStream in, Path file, String promised) throws IOException {
        int extra;
        try {
            extra = in.read();
        } catch (EOFException e) {
            extra = -1;
        }
        if (extra != -1) {
            throw bad(file + " has more data than the " + promised + " its header promises; it is not a valid"
                    + " IDX file, re-copy it");
        }
    }

    private static UserException wrongMagic(Path file, int magic, int expected, String kind) {
        String other = "";
        if (magic == LABELS_MAGIC && expected == IMAGES_MAGIC) {
            other = " (it is a label file: are the file names swapped?)";
        } else if (magic == IMAGES_MAGIC && expected == LABELS_MAGIC) {
            other = " (it is an image file: are the file names swapped?)";
        }
        return bad(String.format("%s is not an IDX %s file (magic 0x%08x instead of 0x%08x)%s; point data.dir at"
                + " a folder with MNIST-format files", file, kind, magic, expected, other));
    }

    private static UserException unreadable(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return bad(file + " does not exist; set data.dir to a folder with the four MNIST-format files"
                    + " (see README)");
        }
        if (e instanceof AccessDeniedException) {
            return new UserException(UserException.BAD_DATA,
                    "data: cannot read " + file + " (permission denied); make the file readable", e);
        }
        if (e instanceof ZipException) {
            return new UserException(UserException.BAD_DATA,
                    "data: " + file + " is not a valid gzip file (" + e.getMessage() + "); re-copy the file", e);
        }
        return new UserException(UserException.BAD_DATA,
                "data: cannot read " + file + " (" + oneLine(e) + "); check the file", e);
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage();
        return (m == null ? t.getClass().getSimpleName() : m).replace('\n', ' ').replace('\r', ' ');
    }

    private static UserException bad(String message) {
        return new UserException(UserException.BAD_DATA, "data: " + message);
    }
}
