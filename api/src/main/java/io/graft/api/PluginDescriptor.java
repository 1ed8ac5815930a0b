package io.graft.api;

import io.graft.api.config.ConfigSpec;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a plugin is, independent of any run: its id in configs, the contracts it implements, the
 * protocols it supports, what it needs from the scenario, its configuration keys and its place in the
 * hook order. Built with {@link #builder(String)}:
 * <pre>{@code
 * PluginDescriptor.builder("ewc")
 *     .name("Elastic Weight Consolidation")
 *     .contracts(Contract.REGULARIZER)
 *     .requires(Requirement.TASK_BOUNDARIES)
 *     .config(ConfigSpec.of(LAMBDA, ONLINE, GAMMA))
 *     .build();
 * }</pre>
 * The plugin's version is its bundle's version; the host reads it from the bundle.
 */
public final class PluginDescriptor {

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_-]*");

    private final String id;
    private final String name;
    private final String description;
    private final Set<Contract> contracts;
    private final Set<Protocol> protocols;
    private final Set<Requirement> requirements;
    private final ConfigSpec config;
    private final int order;
    private final String stateFormat;

    private PluginDescriptor(Builder b) {
        this.id = b.id;
        this.name = b.name == null ? b.id : b.name;
        this.description = b.description;
        this.contracts = Collections.unmodifiableSet(EnumSet.copyOf(b.contracts));
        this.protocols = Collections.unmodifiableSet(EnumSet.copyOf(b.protocols));
        this.requirements = Collections.unmodifiableSet(b.requirements);
        this.config = b.config;
        this.order = b.order;
        this.stateFormat = b.stateFormat;
    }

    /**
     * The name of the format of the plugin's saved state ({@link Stateful}), e.g. {@code er-buffer/2}. When a
     * running plugin is replaced by another version (a new jar in {@code plugins/}), its state is carried over to the
     * new instance only if both name the same, non-empty format; otherwise the new version starts afresh and an
     * event says so.
     *
     * @return the format's name, or the empty string when the plugin promises none
     * @since 1.2
     */
    public String stateFormat() {
        return stateFormat;
    }

    /**
     * Starts a descriptor.
     *
     * @param id the id users write in configs: lower case letters, digits, {@code -} and {@code _}
     * @return a builder
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** @return the id used in configs, e.g. {@code ewc} */
    public String id() {
        return id;
    }

    /** @return a human name, e.g. {@code Elastic Weight Consolidation} */
    public String name() {
        return name;
    }

    /** @return one sentence on what the plugin does */
    public String description() {
        return description;
    }

    /** @return the contracts every instance implements */
    public Set<Contract> contracts() {
        return contracts;
    }

    /** @return the protocols the plugin supports; all of them unless restricted */
    public Set<Protocol> protocols() {
        return protocols;
    }

    /** @return what the scenario must provide */
    public Set<Requirement> requirements() {
        return requirements;
    }

    /** @return the configuration keys */
    public ConfigSpec config() {
        return config;
    }

    /**
     * Position in the hook order: plugins with a lower order are called first at every hook; equal orders
     * keep the order of the run's config.
     *
     * @return the order, 0 unless set
     */
    public int order() {
        return order;
    }

    @Override
    public String toString() {
        return id + " " + contracts;
    }

    /** Builds a {@link PluginDescriptor}. */
    public static final class Builder {
        private final String id;
        private String name;
        private String description = "";
        private final Set<Contract> contracts = EnumSet.noneOf(Contract.class);
        private final Set<Protocol> protocols = EnumSet.allOf(Protocol.class);
        private final Set<Requirement> requirements = EnumSet.noneOf(Requirement.class);
        private ConfigSpec config = ConfigSpec.empty();
        private int order;
        private String stateFormat = "";

        private Builder(String id) {
            Objects.requireNonNull(id, "id");
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException(
                        "plugin id '" + id + "' must match " + ID.pattern());
            }
            this.id = id;
        }

        /**
         * @param name a human name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        /**
         * @param description one sentence on what the plugin does
         * @return this builder
         */
        public Builder description(String description) {
            this.description = Objects.requireNonNull(description);
            return this;
        }

        /**
         * @param first a contract the instances implement
         * @param more further contracts
         * @return this builder
         */
        public Builder contracts(Contract first, Contract... more) {
            contracts.add(first);
            Collections.addAll(contracts, more);
            return this;
        }

        /**
         * Restricts the protocols the plugin supports.
         *
         * @param first a supported protocol
         * @param more further supported protocols
         * @return this builder
         */
        public Builder protocols(Protocol first, Protocol... more) {
            protocols.clear();
            protocols.add(first);
            Collections.addAll(protocols, more);
            return this;
        }

        /**
         * @param first something the scenario must provide
         * @param more further requirements
         * @return this builder
         */
        public Builder requires(Requirement first, Requirement... more) {
            requirements.add(first);
            Collections.addAll(requirements, more);
            return this;
        }

        /**
         * @param config the configuration keys
         * @return this builder
         */
        public Builder config(ConfigSpec config) {
            this.config = Objects.requireNonNull(config);
            return this;
        }

        /**
         * @param order position in the hook order (lower first)
         * @return this builder
         */
        public Builder order(int order) {
            this.order = order;
            return this;
        }

        /**
         * @param format the name of the saved state's format; versions that name the same one accept each other's state
         * @return this builder
         * @since 1.2
         */
        public Builder stateFormat(String format) {
            this.stateFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        /** @return the descriptor */
        public PluginDescriptor build() {
            return new PluginDescriptor(this);
        }
    }
}
