package io.graft.runtime.report;

import java.util.Collection;
import java.util.Objects;

/**
 * Mean and sample standard deviation (divisor n − 1) of the finite values of a metric over seeds.
 *
 * @param n how many values (seeds) there were
 * @param mean their mean, {@code null} when there were none
 * @param std their sample standard deviation, {@code null} with fewer than two
 */
public record MeanStd(int n, Double mean, Double std) {

    /**
     * @param values the values; {@code null} and non-finite ones are left out
     * @return their mean and standard deviation
     */
    public static MeanStd of(Collection<Double> values) {
        double[] v = values.stream().filter(Objects::nonNull).filter(Double::isFinite)
                .mapToDouble(Double::doubleValue).toArray();
        if (v.length == 0) {
            return new MeanStd(0, null, null);
        }
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        double mean = sum / v.length;
        if (v.length < 2) {
            return new MeanStd(1, mean, null);
        }
        double squares = 0;
        for (double x : v) {
            squares += (x - mean) * (x - mean);
        }
        return new MeanStd(v.length, mean, Math.sqrt(squares / (v.length - 1)));
    }
}
