package org.epost.overlay.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The closed set of message classes that may cross the wire, each under a stable short name. Decoding only ever
 * instantiates a class registered here, so a peer cannot make us build arbitrary types. Each protocol (Pastry, PAST,
 * Scribe, POST) registers its own messages at start-up, before the first link opens.
 */
public final class MessageTypes {
    private final Map<String, Class<?>> byName = new LinkedHashMap<>();
    private final Map<Class<?>, String> byClass = new LinkedHashMap<>();

    public synchronized MessageTypes register(String name, Class<?> type) {
        Class<?> existing = byName.get(name);
        if (existing != null && existing != type) {
            throw new IllegalArgumentException("Message name '" + name + "' is already " + existing.getName());
        }
        String existingName = byClass.get(type);
        if (existingName != null && !existingName.equals(name)) {
            throw new IllegalArgumentException(type.getName() + " is already registered as '" + existingName + "'");
        }
        byName.put(name, type);
        byClass.put(type, name);
        return this;
    }

    public synchronized Optional<Class<?>> type(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public synchronized Optional<String> name(Class<?> type) {
        return Optional.ofNullable(byClass.get(type));
    }

    public synchronized Map<String, Class<?>> all() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }
}
