package io.graft.plugin.lwf;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys of the LwF plugin and their bound values.
 *
 * @param lambda weight λ of the distillation term {@code λ·T²·KL(teacher ‖ student)}
 * @param temperature softmax temperature T of both the teacher's and the student's old-class logits
 */
record LwfSettings(double lambda, double temperature) {

    static final ConfigKey<Double> LAMBDA = ConfigKey.ofDouble("lambda", 0.3,
                    "weight λ of the distillation term λ·T²·KL(softmax(teacher/T) ‖ softmax(student/T)) "
                            + "over the previous tasks' classes; 0 turns LwF off. Its gradient on the logits is "
                            + "λ·T·(p_student − p_teacher), so with plain SGD keep λ·T small (Split Fashion-MNIST, "
                            + "lr 0.03, T 2: 0.1 to 0.5 work, 3 loses the gain, 10 diverges)")
            .require(v -> Double.isFinite(v) && v >= 0, "must be a finite number >= 0");

    static final ConfigKey<Double> TEMPERATURE = ConfigKey.ofDouble("temperature", 2.0,
                    "softmax temperature T of the distillation (Li & Hoiem use 2); the term is scaled by T² "
                            + "so that its gradient keeps the cross-entropy's magnitude")
            .require(v -> Double.isFinite(v) && v > 0, "must be a finite number > 0");

    static final ConfigSpec SPEC = ConfigSpec.of(LAMBDA, TEMPERATURE);

    static LwfSettings from(PluginConfig config) {
        return new LwfSettings(config.get(LAMBDA), config.get(TEMPERATURE));
    }
}
