package dev.maze.core.workflow;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A bounded cache keyed by object identity, evicting the least recently used entry beyond its capacity; thread-safe.
 * For facts computed once per immutable task list (its DAG's shape, that it passed validation): every arrival of
 * one simulated workflow type shares its list, so the fact is computed once, and the bound keeps a long-running
 * engine that sees ever new lists from growing.
 *
 * @param <K> key type, compared by identity
 * @param <V> cached value
 */
public final class IdentityCache<K, V> {

    private record Identity(Object key) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity that && that.key == key;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(key);
        }
    }

    private final LinkedHashMap<Identity, V> entries;

    /** @param capacity entries kept at most, >= 1 */
    public IdentityCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Identity, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The value cached for {@code key}, or null. */
    public synchronized V get(K key) {
        return entries.get(new Identity(key));
    }

    public synchronized void put(K key, V value) {
        entries.put(new Identity(key), value);
    }

    /** The cached value, computing (outside the lock) and caching it when absent. */
    public V computeIfAbsent(K key, Function<K, V> compute) {
        V value = get(key);
        if (value == null) {
            value = compute.apply(key);
            put(key, value);
        }
        return value;
    }

    /** Entries held now. */
    public synchronized int size() {
        return entries.size();
    }
}
