package io.graft.plugin.pnn;

/** Reads the host's parameter names: hidden layers {@code fc1, fc2, ...}, the head {@code out}. */
final class HostLayers {

    private HostLayers() {}

    /**
     * @param parameter a parameter name such as {@code fc2.weight}
     * @param kind {@code weight} or {@code bias}
     * @return the hidden layer's index from 0 ({@code fc1} is 0), or -1 when the name is not a hidden layer's
     *     parameter of that kind
     */
    static int hiddenIndex(String parameter, String kind) {
        String suffix = "." + kind;
        if (!parameter.startsWith("fc") || !parameter.endsWith(suffix)) {
            return -1;
        }
        String number = parameter.substring(2, parameter.length() - suffix.length());
        if (number.isEmpty() || !number.chars().allMatch(Character::isDigit) || number.length() > 6) {
            return -1;
        }
        return Integer.parseInt(number) - 1;
    }

    /**
     * @param layer a hidden layer's index from 0
     * @param kind {@code weight} or {@code bias}
     * @return the parameter's name, e.g. {@code fc1.weight}
     */
    static String name(int layer, String kind) {
        return "fc" + (layer + 1) + "." + kind;
    }
}
