package dev.maze.fakellm;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The probability of each injected fault. Each accepted request draws one uniform number u in [0, 1) from the
 * server's seeded generator, in arrival order; the kinds take consecutive intervals of [0, 1) in the order of
 * {@link FaultKind} (500, 429, hang, malformed), and u beyond their sum means no fault.
 *
 * @param probabilities per kind, each in [0, 1], summing to at most 1; kinds not named have probability 0
 */
public record FaultPlan(Map<FaultKind, Double> probabilities) {

    /** No faults. */
    public static final FaultPlan NONE = new FaultPlan(Map.of());

    /** Checks the probabilities. */
    public FaultPlan {
        EnumMap<FaultKind, Double> copy = new EnumMap<>(FaultKind.class);
        double sum = 0;
        for (Map.Entry<FaultKind, Double> entry : probabilities.entrySet()) {
            double p = entry.getValue();
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("--faults: the probability of " + entry.getKey().flagName()
                        + " must be in [0, 1], not " + p);
            }
            sum += p;
            copy.put(entry.getKey(), p);
        }
        if (sum > 1 + 1e-9) {
            throw new IllegalArgumentException("--faults: the probabilities sum to " + sum + ", more than 1");
        }
        probabilities = Collections.unmodifiableMap(copy);
    }

    /**
     * Parses {@code kind:probability,...}, e.g. {@code 500:0.05,429:0.05,hang:0.01,malformed:0.01}; an empty string
     * is {@link #NONE}.
     *
     * @throws IllegalArgumentException naming {@code --faults}, the part at fault and what is allowed
     */
    public static FaultPlan parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        EnumMap<FaultKind, Double> probabilities = new EnumMap<>(FaultKind.class);
        for (String part : spec.split(",", -1)) {
            String item = part.strip();
            int colon = item.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("--faults: '" + item + "' is not kind:probability (e.g. 500:0.05; "
                        + "kinds: " + FaultKind.names() + ")");
            }
            FaultKind kind = FaultKind.ofFlagName(item.substring(0, colon).strip());
            double p;
            try {
                p = Double.parseDouble(item.substring(colon + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--faults: '" + item.substring(colon + 1).strip()
                        + "' is not a probability (in " + item + ")");
            }
            if (probabilities.put(kind, p) != null) {
                throw new IllegalArgumentException("--faults: " + kind.flagName() + " is named twice");
            }
        }
        return new FaultPlan(probabilities);
    }

    /** The probability of {@code kind}, 0 when not named. */
    public double probability(FaultKind kind) {
        return probabilities.getOrDefault(kind, 0.0);
    }

    /** The fault for a uniform draw {@code u} in [0, 1), by the intervals described above. */
    Optional<FaultKind> faultFor(double u) {
        double upper = 0;
        for (FaultKind kind : FaultKind.values()) {
            upper += probability(kind);
            if (u < upper) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return probabilities.isEmpty() ? "none" : probabilities.entrySet().stream()
                .map(entry -> entry.getKey().flagName() + ":" + entry.getValue()).collect(Collectors.joining(","));
    }
}
