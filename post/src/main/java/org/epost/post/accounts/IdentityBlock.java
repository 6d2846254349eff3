package org.epost.post.accounts;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.Block;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.BlockKind;
import org.epost.overlay.past.block.PublicKeyBlock;

/**
 * A user's identity block: the PAST public-key block with label {@value #LABEL} under the user's certified Ed25519
 * signing key (handle = H(signingKey || "identity")), whose version only increases. It tells other peers where the
 * user's home peer is and where the user's folder logs start.
 *
 * <p>Payload, canonical CBOR (the block's own version and signature cover it):
 * <pre>
 *   [format version 1, "epost/identity", address: tstr, homeNodeId: bstr(20), homeAddress: tstr ("host:port"),
 *    folders: [[name: tstr, head: bstr], ...] strictly ascending by name]
 *   [format version 2, ... as version 1 ..., puzzleBits: uint]
 * </pre>
 * Format 2 adds the base difficulty (in bits) of the first-contact puzzles the user's home peer demands (the spam
 * defences); a block without it is written, and still read, as format 1, meaning the protocol's default.
 * The address is inside the signed payload so a block cannot be presented as another user's, even by a key that is
 * (wrongly) certified twice. Decoding is strict: exactly this layout, bounded lengths, no duplicate or unsorted
 * folders, and the bytes must be the one canonical encoding.
 */
public final class IdentityBlock {
    public static final String LABEL = "identity";
    static final int FORMAT_VERSION = 1;
    static final int FORMAT_WITH_PUZZLE_BITS = 2;
    /** The codec's bound; how much of it a sender honours is the spam defences' business. */
    public static final int MAX_PUZZLE_BITS = 255;
    static final String PAYLOAD_CONTEXT = "epost/identity";
    public static final int MAX_FOLDERS = 4096;
    public static final int MAX_FOLDER_NAME_BYTES = 255;
    public static final int MAX_HEAD_BYTES = 64;
    public static final int MAX_HOME_ADDRESS_BYTES = 255;

    private final String address;
    private final long version;
    private final Contents contents;
    private final PublicKeyBlock block;

    private IdentityBlock(String address, long version, Contents contents, PublicKeyBlock block) {
        this.address = address;
        this.version = version;
        this.contents = contents;
        this.block = block;
    }

    /**
     * What the owner publishes: the home peer's contact address and the heads of the folder logs (folder name to an
     * opaque head reference, e.g. the 20-byte handle of the log's head block, filled in by the log service).
     */
    public static final class Contents {
        private final NodeHandle home;
        private final SortedMap<String, byte[]> folderHeads;
        /** -1 when not published. */
        private final int puzzleBits;

        public Contents(NodeHandle home, Map<String, byte[]> folderHeads) {
            this(home, folderHeads, -1);
        }

        private Contents(NodeHandle home, Map<String, byte[]> folderHeads, int puzzleBits) {
            if (puzzleBits < -1 || puzzleBits > MAX_PUZZLE_BITS) {
                throw new IllegalArgumentException("Puzzle bits 0 to " + MAX_PUZZLE_BITS + ", not " + puzzleBits);
            }
            this.puzzleBits = puzzleBits;
            this.home = Objects.requireNonNull(home, "home");
            if (home.address().getBytes(StandardCharsets.UTF_8).length > MAX_HOME_ADDRESS_BYTES) {
                throw new IllegalArgumentException("Home address longer than " + MAX_HOME_ADDRESS_BYTES + " bytes");
            }
            if (folderHeads.size() > MAX_FOLDERS) {
                throw new IllegalArgumentException("More than " + MAX_FOLDERS + " folders");
            }
            TreeMap<String, byte[]> copy = new TreeMap<>();
            folderHeads.forEach((name, head) -> {
                int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
                if (nameBytes == 0 || nameBytes > MAX_FOLDER_NAME_BYTES) {
                    throw new IllegalArgumentException("A folder name has 1 to " + MAX_FOLDER_NAME_BYTES + " bytes");
                }
                if (head.length > MAX_HEAD_BYTES) {
                    throw new IllegalArgumentException("A folder head has at most " + MAX_HEAD_BYTES + " bytes");
                }
                copy.put(name, head.clone());
            });
            this.folderHeads = copy;
        }

        public static Contents of(NodeHandle home) {
            return new Contents(home, Map.of());
        }

        public NodeHandle home() {
            return home;
        }

        /** A copy, sorted by name. */
        public SortedMap<String, byte[]> folderHeads() {
            TreeMap<String, byte[]> copy = new TreeMap<>();
            folderHeads.forEach((name, head) -> copy.put(name, head.clone()));
            return Collections.unmodifiableSortedMap(copy);
        }

        public Optional<byte[]> folderHead(String folder) {
            return Optional.ofNullable(folderHeads.get(folder)).map(byte[]::clone);
        }

        /** The base difficulty of first-contact puzzles the home peer publishes; empty: the protocol's default. */
        public OptionalInt puzzleBits() {
            return puzzleBits < 0 ? OptionalInt.empty() : OptionalInt.of(puzzleBits);
        }

        public Contents withPuzzleBits(int bits) {
            if (bits < 0) {
                throw new IllegalArgumentException("Puzzle bits 0 to " + MAX_PUZZLE_BITS + ", not " + bits);
            }
            return new Contents(home, folderHeads, bits);
        }

        public Contents withHome(NodeHandle newHome) {
            return new Contents(newHome, folderHeads, puzzleBits);
        }

        public Contents withFolderHead(String folder, byte[] head) {
            TreeMap<String, byte[]> copy = new TreeMap<>(folderHeads);
            copy.put(folder, head);
            return new Contents(home, copy, puzzleBits);
        }

        public Contents withoutFolder(String folder) {
            TreeMap<String, byte[]> copy = new TreeMap<>(folderHeads);
            copy.remove(folder);
            return new Contents(home, copy, puzzleBits);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Contents other) || !home.equals(other.home) || puzzleBits != other.puzzleBits
                    || !folderHeads.keySet().equals(other.folderHeads.keySet())) {
                return false;
            }
            for (Map.Entry<String, byte[]> entry : folderHeads.entrySet()) {
                if (!Arrays.equals(entry.getValue(), other.folderHeads.get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return Objects.hash(home, folderHeads.keySet(), puzzleBits);
        }

        @Override
        public String toString() {
            return "Contents(home " + home + ", folders " + folderHeads.keySet()
                    + (puzzleBits < 0 ? "" : ", puzzle bits " + puzzleBits) + ")";
        }
    }

    /** Where the identity block of the holder of {@code signingKey} is stored. */
    public static BlockKey keyFor(PublicKey signingKey) {
        return new BlockKey(PublicKeyBlock.handleFor(signingKey, LABEL), BlockKind.PUBLIC_KEY);
    }

    /** Signs version {@code version} of {@code address}'s identity with the user's signing key. */
    public static IdentityBlock sign(UserKeys keys, String address, long version, Contents contents) {
        String normalized = AccountAddress.normalize(address);
        PublicKeyBlock block = PublicKeyBlock.sign(keys.signing(), LABEL, version, encodePayload(normalized, contents));
        return new IdentityBlock(normalized, version, contents, block);
    }

    /**
     * Verifies {@code block} as the identity of the user {@code certificate} certifies: a public-key block under the
     * certified signing key with label {@value #LABEL} (which the handle binds; the signature itself was checked by
     * the overlay when the {@link Block} was built), whose payload decodes strictly and names the same address.
     */
    public static IdentityBlock verify(Block block, UserCertificate certificate) throws AccountException {
        if (!(block instanceof PublicKeyBlock publicKeyBlock)) {
            throw new AccountException(AccountException.Reason.MALFORMED, "an identity is a public-key block, not "
                    + block.kind());
        }
        if (!publicKeyBlock.publicKey().equals(certificate.signingKey())) {
            throw new AccountException(AccountException.Reason.WRONG_KEY, "identity block of " + certificate.address()
                    + " signed by a key its certificate does not certify");
        }
        if (!publicKeyBlock.label().equals(LABEL)
                || !publicKeyBlock.handle().equals(keyFor(certificate.signingKey()).handle())) {
            throw new AccountException(AccountException.Reason.WRONG_KEY,
                    "public-key block " + publicKeyBlock.label() + " is not an identity block");
        }
        byte[] payload = publicKeyBlock.payload();
        String address;
        Contents contents;
        try {
            Decoded decoded = CborRecordReader.decodeCanonical(payload, "identity payload", FormatException.FAILURES,
                    IdentityBlock::readPayload, d -> encodePayload(d.address(), d.contents()));
            address = decoded.address();
            contents = decoded.contents();
        } catch (FormatException | IllegalArgumentException e) {
            throw new AccountException(AccountException.Reason.MALFORMED, "identity payload of "
                    + certificate.address() + ": " + e.getMessage(), e);
        }
        if (!address.equals(certificate.address())) {
            throw new AccountException(AccountException.Reason.WRONG_KEY,
                    "identity block names " + address + ", not " + certificate.address());
        }
        return new IdentityBlock(address, publicKeyBlock.version(), contents, publicKeyBlock);
    }

    private record Decoded(String address, Contents contents) {
    }

    private static Decoded readPayload(CborRecordReader<FormatException> reader) throws FormatException {
        long format = reader.beginRecordOfAnyVersion("identity payload");
        if (format != FORMAT_VERSION) {
            reader.requireVersion(format, FORMAT_WITH_PUZZLE_BITS, "identity payload");
        }
        String context = reader.text(PAYLOAD_CONTEXT.length());
        if (!context.equals(PAYLOAD_CONTEXT)) {
            throw reader.malformed("expected \"" + PAYLOAD_CONTEXT + "\" but found \"" + context + "\"");
        }
        String address = reader.text(AccountAddress.MAX_BYTES);
        Id homeId = Id.of(reader.exactBytes("home node id", Id.BYTES));
        String homeAddress = reader.text(MAX_HOME_ADDRESS_BYTES);
        TreeMap<String, byte[]> folders = new TreeMap<>();
        List<Map.Entry<String, byte[]>> pairs = reader.list(in -> {
            in.beginArray();
            String name = in.text(MAX_FOLDER_NAME_BYTES);
            byte[] head = in.bytes(MAX_HEAD_BYTES);
            in.endArray();
            return Map.entry(name, head);
        }, MAX_FOLDERS, "folders");
        for (Map.Entry<String, byte[]> pair : pairs) {
            if (pair.getKey().isEmpty() || folders.put(pair.getKey(), pair.getValue()) != null) {
                throw reader.malformed("empty or duplicate folder name");
            }
        }
        int puzzleBits = format == FORMAT_WITH_PUZZLE_BITS ? reader.bounded("puzzle bits", MAX_PUZZLE_BITS) : -1;
        reader.endArray();
        if (!AccountAddress.isNormalized(address)) {
            throw reader.malformed("not a normalized address: " + address);
        }
        return new Decoded(address, new Contents(new NodeHandle(homeId, homeAddress), folders, puzzleBits));
    }

    static byte[] encodePayload(String address, Contents contents) {
        boolean withBits = contents.puzzleBits >= 0;
        CborRecordWriter writer = CborRecordWriter.versioned(withBits ? FORMAT_WITH_PUZZLE_BITS : FORMAT_VERSION,
                withBits ? 6 : 5, 256).text(PAYLOAD_CONTEXT)
                .text(address).bytes(contents.home.id().toBytes()).text(contents.home.address());
        writer.array(contents.folderHeads.size());
        contents.folderHeads.forEach((name, head) -> writer.array(2).text(name).bytes(head).end());
        writer.end();
        if (withBits) {
            writer.number(contents.puzzleBits);
        }
        return writer.end().toBytes();
    }

    public String address() {
        return address;
    }

    public long version() {
        return version;
    }

    public Contents contents() {
        return contents;
    }

    public NodeHandle home() {
        return contents.home();
    }

    public SortedMap<String, byte[]> folderHeads() {
        return contents.folderHeads();
    }

    public PublicKeyBlock block() {
        return block;
    }

    @Override
    public String toString() {
        return "IdentityBlock(" + address + " v" + version + ", " + contents + ")";
    }
}
