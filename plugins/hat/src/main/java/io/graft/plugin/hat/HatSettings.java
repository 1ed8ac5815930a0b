package io.graft.plugin.hat;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys HAT and AdaHAT share and their bound values (defaults from the HAT paper: {@code s_max}
 * 400, {@code thres_cosh} 50, {@code c} 0.75, embeddings bounded to ±6).
 *
 * @param sMax the gate slope at the end of a task and in evaluation
 * @param thresCosh bound of {@code s·e} inside the {@code cosh} of the embedding gradient compensation
 * @param c weight of the mask-sparsity penalty
 * @param embeddingLr learning rate of the plain SGD step on the task embeddings
 * @param embeddingBound the embeddings are kept within {@code ±embeddingBound} after each step
 * @param headClipping how the head {@code out} is protected
 */
record HatSettings(double sMax, double thresCosh, double c, double embeddingLr, double embeddingBound,
                   HeadClipping headClipping) {

    static final ConfigKey<Double> S_MAX = ConfigKey.ofDouble("sMax", 400,
                    "gate slope s_max: the gate σ(s·e) is annealed from s = 1/s_max to s_max over each task; "
                            + "evaluation and the masks kept for later tasks use s_max, binarised")
            .require(v -> v > 1, "must be > 1");

    static final ConfigKey<Double> THRES_COSH = ConfigKey.ofDouble("thresCosh", 50,
                    "bound of s·e inside cosh in the embedding gradient compensation (keeps cosh finite)")
            .require(v -> v > 0, "must be > 0");

    static final ConfigKey<Double> C = ConfigKey.ofDouble("c", 0.75,
                    "weight of the mask-sparsity penalty c·Σ a_t(1 − a_<t) / Σ (1 − a_<t) over the hidden units")
            .require(v -> v >= 0, "must be >= 0");

    static final ConfigKey<Double> EMBEDDING_LR = ConfigKey.ofDouble("embeddingLr", 0.03,
                    "learning rate of the plain SGD step the plugin applies to its task embeddings "
                            + "(set it to the run's train.optimizer.lr)")
            .require(v -> v > 0, "must be > 0");

    static final ConfigKey<Double> EMBEDDING_BOUND = ConfigKey.ofDouble("embeddingBound", 6,
                    "task embeddings are clamped to ±this after every step (σ(s_max·6) is already 1)")
            .require(v -> v > 0, "must be > 0");

    static final ConfigKey<HeadClipping> HEAD_CLIPPING = ConfigKey.ofEnum("headClipping", HeadClipping.class,
            HeadClipping.ROWS, "rows: freeze the head rows of earlier tasks' classes; units: also clip the head's "
                    + "columns of last-layer units earlier tasks use");

    static final ConfigSpec SPEC = ConfigSpec.of(S_MAX, THRES_COSH, C, EMBEDDING_LR, EMBEDDING_BOUND, HEAD_CLIPPING);

    static HatSettings from(PluginConfig config) {
        return new HatSettings(config.get(S_MAX), config.get(THRES_COSH), config.get(C), config.get(EMBEDDING_LR),
                config.get(EMBEDDING_BOUND), config.get(HEAD_CLIPPING));
    }
}
