package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graft.api.Protocol;
import io.graft.api.Stateful;
import io.graft.runtime.checkpoint.ArrayFile;
import io.graft.runtime.checkpoint.StateRecord;
import io.graft.runtime.metrics.AccuracyMatrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the kernel writes into a checkpoint folder and reads back: {@code state.json} (where the run stands, the
 * accuracy matrices so far, the host's layers, frozen layers, the seeds' slots, every random generator's state and
 * every plugin's numbers) and {@code arrays.bin} (parameters, optimizer velocities, pruning masks and the plugins'
 * arrays, bit for bit). Plugins that are not {@link Stateful} keep nothing across a resume.
 */
final class KernelCheckpoint {

    static final String STATE = "state.json";
    static final String ARRAYS = "arrays.bin";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the run stands: after {@code step} steps, in task {@code task}; {@code boundary}: the task is over. */
    record Position(long step, int task, boolean boundary, long stepInTask, double lastLoss, long trainSamples,
                    long trainNanos) {
    }

    /** A plugin as the checkpoint sees it: its name, instance and random generator. */
    record PluginPart(String id, io.graft.api.Plugin plugin, RunRandom random) {
    }

    private KernelCheckpoint() {}

    /**
     * Writes a checkpoint into {@code dir} (a fresh folder; the caller commits it).
     *
     * @param dir the folder
     * @param position where the run stands
     * @param matrices the accuracy matrices so far, in the scenario's protocol order
     * @param protocols the protocols
     * @param host the network
     * @param optimizer its optimizer
     * @param masks the pruning masks
     * @param editor the structure editor (frozen layers, its random generator)
     * @param seeds the seed slots, or null
     * @param seedRandom the seeds' random generator, or null
     * @param plugins the plugins, in order
     * @param scratch owner of the copies made while writing (closed by the caller)
     */
    static void write(Path dir, Position position, List<AccuracyMatrix> matrices, List<Protocol> protocols, Host host,
                      Sgd optimizer, Map<String, NDArray> masks, HostEditor editor, SeedSlots seeds,
                      RunRandom seedRandom, List<PluginPart> plugins, NDManager scratch) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        root.put("step", position.step());
        root.put("task", position.task());
        root.put("boundary", position.boundary());
        root.put("stepInTask", position.stepInTask());
        root.put("lastLoss", Double.toString(position.lastLoss()));
        root.put("trainSamples", position.trainSamples());
        root.put("trainNanos", position.trainNanos());
        ObjectNode acc = root.putObject("accuracy");
        for (int k = 0; k < protocols.size(); k++) {
            ObjectNode p = acc.putObject(protocols.get(k).key());
            p.set("baseline", JSON.valueToTree(matrices.get(k).baseline()));
            p.set("rows", JSON.valueToTree(matrices.get(k).rows()));
        }
        root.set("layers", JSON.valueToTree(host.layers()));
        for (HostParameter p : host.hostParameters()) {
            arrays.put("param/" + p.name(), p.array());
        }
        host.buffers().forEach((name, value) -> arrays.put("buffer/" + name, value));
        optimizer.state().forEach((name, value) -> arrays.put("velocity/" + name, value));
        masks.forEach((name, value) -> arrays.put("mask/" + name, value));
        root.set("frozen", JSON.valueToTree(editor.frozenLayers()));
        ObjectNode random = root.putObject("random");
        random.put("editor", ((RunRandom) editor.random).state());
        if (seeds != null) {
            seeds.save(root.putArray("slots"));
            random.put("seeds", seedRandom.state());
        }
        ObjectNode states = root.putObject("plugins");
        for (PluginPart part : plugins) {
            random.put("plugin/" + part.id(), part.random().state());
            if (part.plugin() instanceof Stateful stateful) {
                StateRecord record = StateRecord.writing(arrays, "plugin/" + part.id() + "/", scratch);
                stateful.saveState(record);
                states.set(part.id(), record.values());
            }
        }
        try {
            ArrayFile.write(dir.resolve(ARRAYS), arrays);
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(STATE).toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint in " + dir, e);
        }
    }

    /** A checkpoint read back: its state and arrays (owned by the manager given to {@link #read}). */
    record Saved(JsonNode state, Map<String, NDArray> arrays) {

        Position position() {
            return new Position(state.path("step").asLong(), state.path("task").asInt(),
                    state.path("boundary").asBoolean(), state.path("stepInTask").asLong(),
                    Double.parseDouble(state.path("lastLoss").asText()), state.path("trainSamples").asLong(),
                    state.path("trainNanos").asLong());
        }

        /** @return the accuracy matrix of a protocol */
        AccuracyMatrix matrix(Protocol protocol) {
            JsonNode p = state.path("accuracy").path(protocol.key());
            double[] baseline = JSON.convertValue(p.path("baseline"), double[].class);
            double[][] rows = JSON.convertValue(p.path("rows"), double[][].class);
            return new AccuracyMatrix(baseline, rows);
        }

        /** @return values saved under a prefix, by the rest of their name */
        Map<String, NDArray> under(String prefix) {
            Map<String, NDArray> out = new LinkedHashMap<>();
            arrays.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    out.put(k.substring(prefix.length()), v);
                }
            });
            return out;
        }
    }

    /**
     * @param dir a committed checkpoint folder
     * @param manager owner of the arrays read
     * @return the checkpoint
     */
    static Saved read(Path dir, NDManager manager) {
        try {
            return new Saved(JSON.readTree(dir.resolve(STATE).toFile()), ArrayFile.read(dir.resolve(ARRAYS), manager));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint in " + dir, e);
        }
    }

    /**
     * Puts the network, its optimizer, masks, frozen layers, seeds and random generators back as saved. The plugins'
     * own states are restored by {@link #restorePlugins} once they have started.
     */
    static void restoreNetwork(Saved saved, Host host, Sgd optimizer, Map<String, NDArray> masks, HostEditor editor,
                               SeedSlots seeds, RunRandom seedRandom, NDManager runManager) {
        Map<String, NDArray> params = saved.under("param/");
        List<String> layers = new ArrayList<>();
        saved.state().path("layers").forEach(n -> layers.add(n.asText()));
        if (host instanceof MlpHost mlp) {
            mlp.restoreLayers(layers, params);
        } else if (!host.layers().equals(layers)) {
            throw new IllegalStateException("the checkpoint's network has layers " + layers + " but this host has "
                    + host.layers() + "; a grown convolutional network cannot be resumed yet");
        }
        if (seeds != null && saved.state().has("slots")) {
            seeds.restore(saved.state().path("slots"), params);
        }
        for (HostParameter p : host.hostParameters()) {
            NDArray v = params.get(p.name());
            if (v == null || !v.getShape().equals(p.array().getShape())) {
                throw new IllegalStateException("the checkpoint has no value of shape " + p.array().getShape() + " for "
                        + p.name() + "; resume with the config the run was started with");
            }
            p.array().set(v.toByteBuffer());
        }
        Map<String, NDArray> buffers = host.buffers();
        saved.under("buffer/").forEach((name, v) -> {
            NDArray b = buffers.get(name);
            if (b != null) {
                b.set(v.toByteBuffer());
            }
        });
        saved.under("velocity/").forEach(optimizer::setState);
        masks.values().forEach(NDArray::close);
        masks.clear();
        saved.under("mask/").forEach((name, v) -> {
            NDArray own = v.duplicate();
            own.attach(runManager);
            masks.put(name, own);
        });
        saved.state().path("frozen").forEach(n -> editor.freeze(n.asText()));
        JsonNode random = saved.state().path("random");
        ((RunRandom) editor.random).restore(random.path("editor").asText());
        if (seeds != null && random.has("seeds")) {
            seedRandom.restore(random.path("seeds").asText());
        }
    }

    /** Gives every plugin its saved random generator state and, when it is {@link Stateful}, its saved state. */
    static void restorePlugins(Saved saved, List<PluginPart> plugins) {
        JsonNode random = saved.state().path("random");
        JsonNode states = saved.state().path("plugins");
        for (PluginPart part : plugins) {
            JsonNode r = random.get("plugin/" + part.id());
            if (r != null) {
                part.random().restore(r.asText());
            }
            if (part.plugin() instanceof Stateful stateful && states.has(part.id())) {
                stateful.restoreState(new StateRecord(saved.arrays(), "plugin/" + part.id() + "/",
                        (ObjectNode) states.get(part.id()), null));
            }
        }
    }
}
