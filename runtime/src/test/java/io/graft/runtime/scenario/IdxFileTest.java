package io.graft.runtime.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graft.runtime.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {

    @TempDir
    Path dir;

    @Test
    void readsPlainAndGzippedFilesAlike() throws IOException {
        byte[] content = IdxFiles.images(IdxFile.IMAGES_MAGIC, 3, 2, 2, 12);
        IdxFile.Images plain = IdxFile.readImages(IdxFiles.write(dir.resolve("a"), content, false));
        // gzip is detected by content, whatever the name
        IdxFile.Images gz = IdxFile.readImages(IdxFiles.write(dir.resolve("b"), content, true));
        assertEquals(3, plain.count());
        assertEquals(2, plain.rows());
        assertEquals(2, plain.cols());
        assertArrayEquals(plain.pixels(), gz.pixels());
        assertEquals(0f, plain.pixels()[0]);
        assertEquals(11 / 255f, plain.pixels()[11]);
    }

    @Test
    void readsLabels() throws IOException {
        Path f = IdxFiles.write(dir.resolve("l.gz"), IdxFiles.labels(IdxFile.LABELS_MAGIC, 4, new int[] {3, 1, 255, 0}), true);
        assertArrayEquals(new int[] {3, 1, 255, 0}, IdxFile.readLabels(f));
    }

    @Test
    void truncatedImagesNameTheFileAndWhatIsThere() throws IOException {
        Path f = IdxFiles.write(dir.resolve("train-images-idx3-ubyte.gz"),
                IdxFiles.images(IdxFile.IMAGES_MAGIC, 60000, 28, 28, 1234 * 784 + 100), true);
        UserException e = assertThrows(UserException.class, () -> IdxFile.readImages(f));
        assertEquals(UserException.BAD_DATA, e.exitCode());
        assertEquals("data: " + f + " is truncated: header promises 60000 images of 28x28 but only 1234 are there;"
                + " re-copy the file", e.getMessage());
    }

    @Test
    void cutGzipStreamIsTruncatedToo() throws IOException {
        Path whole = IdxFiles.write(dir.resolve("whole.gz"), IdxFiles.images(IdxFile.IMAGES_MAGIC, 100, 28, 28, 100 * 784),
                true);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(bytes, bytes.length / 2));
        UserException e = assertThrows(UserException.class, () -> IdxFile.readImages(cut));
        assertEquals(true, e.getMessage().startsWith("data: " + cut + " is truncated: header promises 100 images"),
                e.getMessage());
    }

    @Test
    void truncatedHeaderAndLabels() throws IOException {
        Path h = Files.write(dir.resolve("h"), new byte[] {0, 0, 8});
        assertEquals("data: " + h + " is truncated: it ends inside the IDX image header; re-copy the file",
                assertThrows(UserException.class, () -> IdxFile.readImages(h)).getMessage());
        Path l = IdxFiles.write(dir.resolve("l"), IdxFiles.labels(IdxFile.LABELS_MAGIC, 10, new int[] {1, 2}), false);
        assertEquals("data: " + l + " is truncated: header promises 10 labels but only 2 are there; re-copy the file",
                assertThrows(UserException.class, () -> IdxFile.readLabels(l)).getMessage());
    }

    @Test
    void wrongMagicIsNamed() throws IOException {
        Path f = Files.write(dir.resolve("foo"), new byte[] {0x1f, (byte) 0x8c, 8, 8, 0, 0, 0, 0});
        UserException e = assertThrows(UserException.class, () -> IdxFile.readImages(f));
        assertEquals("data: " + f + " is not an IDX image file (magic 0x1f8c0808 instead of 0x00000803); point data.dir"
                + " at a folder with MNIST-format files", e.getMessage());
        Path labels = IdxFiles.write(dir.resolve("x"), IdxFiles.labels(IdxFile.LABELS_MAGIC, 1, new int[] {1}), false);
        assertEquals(true, assertThrows(UserException.class, () -> IdxFile.readImages(labels)).getMessage()
                .contains("(it is a label file: are the file names swapped?)"));
    }

    @Test
    void trailingBytesAreRefused() throws IOException {
        Path f = IdxFiles.write(dir.resolve("t"), IdxFiles.images(IdxFile.IMAGES_MAGIC, 1, 2, 2, 5), false);
        assertEquals(true, assertThrows(UserException.class, () -> IdxFile.readImages(f)).getMessage()
                .contains("has more data than the 1 images its header promises"));
    }

    @Test
    void imagesAndLabelsMustAgree() throws IOException {
        Path im = IdxFiles.write(dir.resolve("im"), IdxFiles.images(IdxFile.IMAGES_MAGIC, 3, 2, 2, 12), false);
        Path lb = IdxFiles.write(dir.resolve("lb"), IdxFiles.labels(IdxFile.LABELS_MAGIC, 2, new int[] {0, 1}), false);
        assertEquals("data: " + im + " has 3 images but " + lb + " has 2 labels; use the matching pair of files of one"
                + " data set", assertThrows(UserException.class, () -> IdxFile.read(im, lb)).getMessage());
    }

    @Test
    void loadsAFolderAndNamesMissingFiles() throws IOException {
        IdxFiles.dataSet(dir, 20, 10, 4, true);
        ImageData data = ImageData.load(dir);
        assertEquals(20, data.train().size());
        assertEquals(10, data.test().size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, data.train().classes());
        assertEquals(6, data.featureSize());

        Files.delete(dir.resolve(ImageData.TEST_LABELS + ".gz"));
        assertEquals("data: folder " + dir + " has no t10k-labels-idx1-ubyte[.gz]; set data.dir to a folder with the"
                + " four MNIST-format files (see README)",
                assertThrows(UserException.class, () -> ImageData.load(dir)).getMessage());
        Path none = dir.resolve("nope");
        UserException e = assertThrows(UserException.class, () -> ImageData.load(none));
        assertEquals(UserException.BAD_DATA, e.exitCode());
        assertEquals(true, e.getMessage().startsWith("data: folder " + none + " does not exist"));
    }

    @Test
    void readsTheRealFashionMnistWhenPresent() {
        Path real = Path.of("/usr/share/datasets/fashion-mnist");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(real.resolve("t10k-images-idx3-ubyte.gz")));
        ImageSet test = IdxFile.read(real.resolve("t10k-images-idx3-ubyte.gz"), real.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(10000, test.size());
        assertEquals(28, test.rows());
        assertEquals(10, test.classes().length);
    }
}
