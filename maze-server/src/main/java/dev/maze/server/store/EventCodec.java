package dev.maze.server.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.core.engine.StateEvent;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A state event as stored: its kind (the record's simple name, e.g. {@code TaskFinished}) and its JSON body (the
 * record's components, as Jackson writes records). Every kind the engine can emit is known: the codec walks the
 * sealed hierarchy of {@link StateEvent}, so a new event record is stored without touching this class.
 */
public final class EventCodec {

    /**
     * Records are written with their components and any derived getter-like value (such as
     * {@code Resources.isInference()}); reading ignores the derived ones, which the components determine. Null
     * components are left out, so that they read back as null (a JSON {@code null} would become a {@code NullNode}
     * in a {@code JsonNode} component).
     */
    private static final JsonMapper JSON = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final Map<String, Class<? extends StateEvent>> KINDS = kinds();

    private EventCodec() {}

    /** The kind under which {@code event} is stored. */
    public static String kind(StateEvent event) {
        return event.getClass().getSimpleName();
    }

    /** The JSON body of {@code event}. */
    public static String body(StateEvent event) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a " + kind(event) + " event as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The event stored as {@code kind} and {@code body}.
     *
     * @throws IllegalArgumentException for a kind this engine does not know or a body that does not match it
     */
    public static StateEvent read(String kind, String body) {
        Class<? extends StateEvent> type = KINDS.get(kind);
        if (type == null) {
            throw new IllegalArgumentException("unknown event kind '" + kind + "' (known: " + KINDS.keySet() + ")");
        }
        try {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a stored " + kind + " event does not read back: "
                    + e.getOriginalMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Class<? extends StateEvent>> kinds() {
        Map<String, Class<? extends StateEvent>> kinds = new LinkedHashMap<>();
        ArrayDeque<Class<?>> open = new ArrayDeque<>();
        open.add(StateEvent.class);
        while (!open.isEmpty()) {
            Class<?> type = open.poll();
            if (type.isRecord()) {
                kinds.put(type.getSimpleName(), (Class<? extends StateEvent>) type);
            } else if (type.getPermittedSubclasses() != null) {
                open.addAll(List.of(type.getPermittedSubclasses()));
            }
        }
        return Map.copyOf(kinds);
    }
}
