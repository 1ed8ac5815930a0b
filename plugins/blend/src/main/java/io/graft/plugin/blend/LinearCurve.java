package io.graft.plugin.blend;

/** Alpha moves at a constant rate: the fraction blended is the fraction of steps passed. */
record LinearCurve() implements BlendCurve {

    @Override
    public double at(double progress) {
        return progress;
    }

    @Override
    public String describe() {
        return "linear";
    }
}
