package org.epost.mailbox.quota;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.james.core.Domain;
import org.epost.mailbox.model.QuotaLimit;
import org.epost.mailbox.model.QuotaResource;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The peer's global and per-domain limits in one small JSON file (under the peer's data directory):
 * <pre>
 * {"global": {"count": 1000, "size": "unlimited"},
 *  "domains": {"example.org": {"size": 1073741824}}}
 * </pre>
 * {@code count} bounds the messages, {@code size} the octets; a limit is a whole number of 0 or more or
 * {@code "unlimited"}; an absent key means no limit at that level. Saved to a temporary file that is fsynced and
 * then renamed over the old one, so a crash leaves either the old or the new limits. Read strictly: anything else
 * (unknown keys, a negative or fractional limit, a domain not in James's normalized form, trailing bytes) is an
 * {@link IOException} naming the file, so a peer never starts on limits it half understood.
 */
public final class JsonFileQuotaLimitStore implements PeerQuotaLimitStore {
    private static final String GLOBAL = "global";
    private static final String DOMAINS = "domains";
    private static final String UNLIMITED = "unlimited";
    private static final Map<QuotaResource, String> KEYS = Map.of(QuotaResource.MESSAGES, "count",
        QuotaResource.STORAGE, "size");

    private final Path file;
    private final ObjectMapper json = new ObjectMapper()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(SerializationFeature.INDENT_OUTPUT);

    public JsonFileQuotaLimitStore(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    public Path file() {
        return file;
    }

    @Override
    public PeerQuotaLimits load() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return PeerQuotaLimits.NONE;
        }
        try {
            return parse(json.readTree(bytes));
        } catch (JsonProcessingException e) {
            throw corrupt("not JSON (" + e.getOriginalMessage() + ")");
        }
    }

    @Override
    public void save(PeerQuotaLimits limits) throws IOException {
        byte[] bytes = json.writeValueAsBytes(toJson(limits));
        Path directory = file.getParent();
        Files.createDirectories(directory);
        Path temporary = directory.resolve(file.getFileName() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + directory + " cannot rename atomically", e);
            }
            fsyncDirectory(directory);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    // ---------------------------------------------------------------- reading

    private PeerQuotaLimits parse(JsonNode root) throws IOException {
        if (root == null || !root.isObject()) {
            throw corrupt("not a JSON object");
        }
        requireOnly(root, List.of(GLOBAL, DOMAINS), "the top level");
        Map<QuotaResource, QuotaLimit> global = limits(required(root, GLOBAL), GLOBAL);
        JsonNode domainsNode = required(root, DOMAINS);
        if (!domainsNode.isObject()) {
            throw corrupt("'" + DOMAINS + "' is not an object");
        }
        Map<Domain, Map<QuotaResource, QuotaLimit>> domains = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = domainsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Domain domain = domain(entry.getKey());
            Map<QuotaResource, QuotaLimit> limits = limits(entry.getValue(), "domain '" + entry.getKey() + "'");
            if (limits.isEmpty()) {
                throw corrupt("domain '" + entry.getKey() + "' has no limits");
            }
            domains.put(domain, limits);
        }
        return new PeerQuotaLimits(global, domains);
    }

    private Domain domain(String name) throws IOException {
        Domain domain;
        try {
            domain = Domain.of(name);
        } catch (IllegalArgumentException e) {
            throw corrupt("'" + name + "' is not a domain: " + e.getMessage());
        }
        if (!domain.asString().equals(name)) {
            throw corrupt("domain '" + name + "' is not in its normalized form '" + domain.asString() + "'");
        }
        return domain;
    }

    private Map<QuotaResource, QuotaLimit> limits(JsonNode node, String where) throws IOException {
        if (!node.isObject()) {
            throw corrupt(where + " is not an object");
        }
        requireOnly(node, List.copyOf(KEYS.values()), where);
        EnumMap<QuotaResource, QuotaLimit> limits = new EnumMap<>(QuotaResource.class);
        for (Map.Entry<QuotaResource, String> key : KEYS.entrySet()) {
            JsonNode value = node.get(key.getValue());
            if (value != null) {
                limits.put(key.getKey(), limit(value, where + " " + key.getValue()));
            }
        }
        return limits;
    }

    private QuotaLimit limit(JsonNode value, String where) throws IOException {
        if (value.isTextual() && value.textValue().equals(UNLIMITED)) {
            return QuotaLimit.unlimited();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw corrupt(where + " is " + value + ", not a whole number of 0 or more or \"" + UNLIMITED + "\"");
        }
        return QuotaLimit.of(value.longValue());
    }

    private JsonNode required(JsonNode node, String key) throws IOException {
        JsonNode value = node.get(key);
        if (value == null) {
            throw corrupt("'" + key + "' is missing");
        }
        return value;
    }

    private void requireOnly(JsonNode node, List<String> allowed, String where) throws IOException {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw corrupt(where + " has the unknown key '" + name + "' (known: " + String.join(", ", allowed) + ")");
            }
        }
    }

    private IOException corrupt(String why) {
        return new IOException("The quota limits file " + file + " is corrupt: " + why
            + ". Fix or remove it (removing it drops this peer's global and domain limits).");
    }

    // ---------------------------------------------------------------- writing

    private ObjectNode toJson(PeerQuotaLimits limits) {
        ObjectNode root = json.createObjectNode();
        root.set(GLOBAL, toJson(limits.global()));
        ObjectNode domains = root.putObject(DOMAINS);
        List<Domain> sorted = new ArrayList<>(limits.domains().keySet());
        sorted.sort(Comparator.comparing(Domain::asString));
        sorted.forEach(domain -> domains.set(domain.asString(), toJson(limits.domains().get(domain))));
        return root;
    }

    private ObjectNode toJson(Map<QuotaResource, QuotaLimit> limits) {
        ObjectNode node = json.createObjectNode();
        for (QuotaResource resource : QuotaResource.values()) {
            QuotaLimit limit = limits.get(resource);
            if (limit != null && limit.isUnlimited()) {
                node.put(KEYS.get(resource), UNLIMITED);
            } else if (limit != null) {
                node.put(KEYS.get(resource), limit.max().getAsLong());
            }
        }
        return node;
    }

    private static void fsyncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some platforms cannot open a directory for fsync; the rename itself was still atomic
        }
    }
}
