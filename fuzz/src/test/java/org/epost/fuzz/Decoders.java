package org.epost.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.epost.overlay.past.block.BlockLimits;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * Every static decoder of ePOST's production classes, found by reflection so that a codec added later is fuzzed
 * without anyone remembering to: a static method named {@code decode*}, {@code read} or {@code openPlaintext} whose
 * first parameter is the {@code byte[]} to decode and whose other parameters are limits or names this harness can
 * supply (int, long, String, {@link BlockLimits}, a {@link StringBuilder} for reasons).
 *
 * <p>What a decoder may do with bytes it does not accept: throw what it declares, an exception of ePOST's own (its
 * malformed-input types), or an {@link IllegalArgumentException} (a value's validation). Anything else (a null
 * pointer, an index out of bounds, a class cast, an error such as running out of memory) is a finding.
 */
final class Decoders {
    /** The jars (or class directories) of the modules whose decoders are fuzzed, by one class in each. */
    private static final List<Class<?>> MODULES = List.of(org.epost.overlay.wire.CborMessageCodec.class,
        org.epost.durability.fragment.Fragment.class, org.epost.post.notify.Notification.class,
        org.epost.mailbox.model.MimeStructure.class, org.epost.interop.routes.RouteTableCodec.class);
    private static final List<Decoder> ALL = discover();

    /** One decoder and how to call it. */
    record Decoder(Method method) {
        String name() {
            return method.getDeclaringClass().getName() + "." + method.getName();
        }

        /** Calls the decoder on fuzzed arguments; rethrows what is a finding, swallows a clean rejection. */
        void call(FuzzedDataProvider data) throws Throwable {
            Class<?>[] types = method.getParameterTypes();
            Object[] arguments = new Object[types.length];
            for (int i = 1; i < types.length; i++) {
                arguments[i] = argument(types[i], data);
            }
            arguments[0] = data.consumeRemainingAsBytes();
            invoke(arguments);
        }

        /** Calls the decoder on these arguments; rethrows what is a finding as an {@link AssertionError}. */
        void invoke(Object... arguments) throws Throwable {
            try {
                method.invoke(null, arguments);
            } catch (InvocationTargetException e) {
                Throwable thrown = e.getCause();
                if (!isCleanRejection(thrown)) {
                    throw new AssertionError(name() + " failed on malformed input with " + thrown, thrown);
                }
            }
        }

        private boolean isCleanRejection(Throwable thrown) {
            for (Class<?> declared : method.getExceptionTypes()) {
                if (declared.isInstance(thrown)) {
                    return true;
                }
            }
            return thrown instanceof IllegalArgumentException
                || (thrown instanceof Exception && thrown.getClass().getName().startsWith("org.epost."));
        }
    }

    private Decoders() {
    }

    static List<Decoder> all() {
        return ALL;
    }

    private static Object argument(Class<?> type, FuzzedDataProvider data) {
        if (type == int.class) {
            return data.consumeInt(0, 1 << 24);
        }
        if (type == long.class) {
            return data.consumeLong(0, 1L << 40);
        }
        if (type == String.class) {
            return data.consumeString(64);
        }
        if (type == BlockLimits.class) {
            return BlockLimits.DEFAULT;
        }
        if (type == StringBuilder.class) {
            return new StringBuilder();
        }
        throw new IllegalStateException("no fuzzed argument of type " + type);
    }

    private static boolean supported(Class<?> type) {
        return type == int.class || type == long.class || type == String.class || type == BlockLimits.class
            || type == StringBuilder.class;
    }

    private static boolean isDecoder(Method method) {
        String name = method.getName();
        Class<?>[] types = method.getParameterTypes();
        if (!Modifier.isStatic(method.getModifiers()) || method.isSynthetic() || types.length == 0
                || types[0] != byte[].class || method.getReturnType() == void.class) {
            return false;
        }
        if (!(name.startsWith("decode") || name.equals("read") || name.equals("openPlaintext"))) {
            return false;
        }
        for (int i = 1; i < types.length; i++) {
            if (!supported(types[i])) {
                return false;
            }
        }
        return true;
    }

    private static List<Decoder> discover() {
        List<Decoder> found = new ArrayList<>();
        for (Class<?> module : MODULES) {
            for (String className : classNames(module)) {
                Class<?> type;
                Method[] methods;
                try {
                    type = Class.forName(className, false, Decoders.class.getClassLoader());
                    methods = type.getDeclaredMethods();
                } catch (ClassNotFoundException | LinkageError e) {
                    continue; // a class whose optional dependencies are not here decodes nothing from a peer
                }
                for (Method method : methods) {
                    if (isDecoder(method)) {
                        method.setAccessible(true);
                        found.add(new Decoder(method));
                    }
                }
            }
        }
        found.sort(Comparator.comparing(Decoder::name).thenComparing(d -> d.method().toString()));
        return List.copyOf(found);
    }

    /** The classes in the jar or directory that holds {@code module}. */
    private static List<String> classNames(Class<?> module) {
        try {
            Path location = Path.of(module.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                return classNamesUnder(location);
            }
            try (FileSystem jar = FileSystems.newFileSystem(location, Map.of())) {
                return classNamesUnder(jar.getPath("/"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> classNamesUnder(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(path -> root.relativize(path).toString())
                .filter(name -> name.endsWith(".class") && !name.equals("module-info.class")
                    && !name.startsWith("META-INF"))
                .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                .sorted()
                .toList();
        }
    }
}
