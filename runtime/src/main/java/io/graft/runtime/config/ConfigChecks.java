package io.graft.runtime.config;

import io.graft.runtime.UserException;

/** Range and consistency checks that types alone do not catch; each failure names the key and the fix. */
final class ConfigChecks {

    private ConfigChecks() {}

    static ExperimentConfig check(ExperimentConfig c) {
        ScenarioConfig s = c.scenario();
        positive("scenario.tasks", s.tasks());
        positive("scenario.classesPerTask", s.classesPerTask());
        ModelConfig m = c.model();
        if (!m.type().equals(ModelConfig.MLP) && !m.type().equals(ModelConfig.CNN)) {
            fail("'model.type' is '" + m.type() + "'; the host networks of this version are: mlp, cnn");
        }
        for (int i = 0; i < m.hidden().size(); i++) {
            positive("model.hidden." + i, m.hidden().get(i));
        }
        if (m.type().equals(ModelConfig.MLP) && !m.conv().isEmpty()) {
            fail("'model.conv' lists convolutional blocks, which only 'model.type: cnn' has; remove it or use cnn");
        }
        if (m.type().equals(ModelConfig.CNN) && m.conv().isEmpty()) {
            fail("'model.conv' is empty; a cnn needs at least one block, e.g. [16, 32]");
        }
        for (int i = 0; i < m.conv().size(); i++) {
            positive("model.conv." + i, m.conv().get(i));
        }
        TrainConfig t = c.train();
        positive("train.epochs", t.epochs());
        positive("train.batchSize", t.batchSize());
        positive("train.evalBatchSize", t.evalBatchSize());
        positive("train.logEvery", t.logEvery());
        OptimizerConfig o = t.optimizer();
        if (!o.type().equals("sgd")) {
            fail("'train.optimizer.type' is '" + o.type() + "'; the optimizers of this version are: sgd");
        }
        if (!(o.lr() > 0) || Double.isInfinite(o.lr())) {
            fail("'train.optimizer.lr' must be a positive number, got " + o.lr());
        }
        if (!(o.momentum() >= 0 && o.momentum() < 1)) {
            fail("'train.optimizer.momentum' must be in [0, 1), got " + o.momentum());
        }
        for (int i = 0; i < c.plugins().size(); i++) {
            if (c.plugins().get(i).id().isBlank()) {
                fail("'plugins." + i + ".id' is empty; name a plugin listed by 'graft plugins'");
            }
        }
        return c;
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            fail("'" + key + "' must be at least 1, got " + value);
        }
    }

    private static void fail(String message) {
        throw new UserException(UserException.BAD_CONFIG, "config: " + message);
    }
}
