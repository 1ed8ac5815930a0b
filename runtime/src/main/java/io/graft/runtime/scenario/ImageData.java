package io.graft.runtime.scenario;

import io.graft.runtime.UserException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The training and test sets of one MNIST-family data set.
 *
 * @param train the training set
 * @param test the test set, with images of the same size
 */
public record ImageData(ImageSet train, ImageSet test) {

    /** Base names of the four files; each may also end in {@code .gz}. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** Training labels. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** Test images. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** Test labels. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /**
     * @throws IllegalArgumentException if the image sizes of the two sets differ
     */
    public ImageData {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            throw new IllegalArgumentException("train images are " + train.rows() + "x" + train.cols()
                    + " but test images are " + test.rows() + "x" + test.cols());
        }
    }

    /**
     * Loads the four files of a folder, each gzipped or not.
     *
     * @param dir the folder
     * @return the data
     * @throws UserException (BAD_DATA) when the folder or a file is missing or corrupt, with the fix
     */
    public static ImageData load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserException(UserException.BAD_DATA, "data: folder " + dir + " does not exist; set"
                    + " data.dir to a folder with the four MNIST-format files (see README)");
        }
        Path trainImages = find(dir, TRAIN_IMAGES);
        Path trainLabels = find(dir, TRAIN_LABELS);
        Path testImages = find(dir, TEST_IMAGES);
        Path testLabels = find(dir, TEST_LABELS);
        ImageSet train = IdxFile.read(trainImages, trainLabels);
        ImageSet test = IdxFile.read(testImages, testLabels);
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            throw new UserException(UserException.BAD_DATA, "data: " + trainImages + " has images of "
                    + train.rows() + "x" + train.cols() + " but " + testImages + " has " + test.rows() + "x"
                    + test.cols() + "; use the four files of one data set");
        }
        return new ImageData(train, test);
    }

    /**
     * Finds {@code base} or {@code base.gz} in a folder (the plain file first).
     *
     * @param dir the folder
     * @param base a base name such as {@link #TRAIN_IMAGES}
     * @return the file
     * @throws UserException (BAD_DATA) when neither exists
     */
    public static Path find(Path dir, String base) {
        Path plain = dir.resolve(base);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new UserException(UserException.BAD_DATA, "data: folder " + dir + " has no " + base
                + "[.gz]; set data.dir to a folder with the four MNIST-format files (see README)");
    }

    /** @return values per image */
    public int featureSize() {
        return train.featureSize();
    }
}
