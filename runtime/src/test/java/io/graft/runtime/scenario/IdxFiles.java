package io.graft.runtime.scenario;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxFiles {

    private IdxFiles() {}

    /** Image file bytes: header as given, then {@code pixelBytes} bytes with value {@code i % 256}. */
    static byte[] images(int magic, int count, int rows, int cols, int pixelBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < pixelBytes; i++) {
            out.writeByte(i % 256);
        }
        return bytes.toByteArray();
    }

    static byte[] labels(int magic, int count, int[] labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        for (int l : labels) {
            out.writeByte(l);
        }
        return bytes.toByteArray();
    }

    static Path write(Path file, byte[] content, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
        return file;
    }

    /** Writes a complete, valid data set of 2x3 images with labels {@code i % classes}. */
    static void dataSet(Path dir, int train, int test, int classes, boolean gzip) throws IOException {
        String ext = gzip ? ".gz" : "";
        write(dir.resolve(ImageData.TRAIN_IMAGES + ext), images(IdxFile.IMAGES_MAGIC, train, 2, 3, train * 6), gzip);
        write(dir.resolve(ImageData.TRAIN_LABELS + ext), labels(IdxFile.LABELS_MAGIC, train, cycle(train, classes)), gzip);
        write(dir.resolve(ImageData.TEST_IMAGES + ext), images(IdxFile.IMAGES_MAGIC, test, 2, 3, test * 6), gzip);
        write(dir.resolve(ImageData.TEST_LABELS + ext), labels(IdxFile.LABELS_MAGIC, test, cycle(test, classes)), gzip);
    }

    static int[] cycle(int n, int classes) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = i % classes;
        }
        return l;
    }
}
