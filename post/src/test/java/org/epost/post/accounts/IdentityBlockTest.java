package org.epost.post.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.wire.CborRecordWriter;
import org.epost.post.crypto.Signatures;
import org.junit.jupiter.api.Test;

/** The identity payload's codec: format 1 (no puzzle bits) and format 2 (the home peer's puzzle base). */
class IdentityBlockTest {
    private static final NodeHandle HOME = new NodeHandle(Id.hash("home"), "10.0.0.1:4000");
    private static final String ALICE = "alice@example.org";

    private final OrganizationUserAuthority authority = OrganizationUserAuthority.of(Signatures.generateKeyPair());
    private final UserKeys keys = UserKeys.generate();
    private final UserCertificate certificate = authority.issue(ALICE, keys.signingPublicKey(),
            keys.encryptionPublicKey(), Long.MAX_VALUE);

    @Test
    void withoutPuzzleBitsItStaysFormatOneAndMeansTheDefault() throws Exception {
        IdentityBlock signed = IdentityBlock.sign(keys, ALICE, 3, IdentityBlock.Contents.of(HOME)
                .withFolderHead("INBOX", new byte[] {1, 2}));
        assertThat(signed.block().payload()[1]).isEqualTo((byte) 1);

        IdentityBlock read = IdentityBlock.verify(signed.block(), certificate);
        assertThat(read.contents().puzzleBits()).isEmpty();
        assertThat(read.contents()).isEqualTo(signed.contents());
    }

    @Test
    void aBlockAnOlderPeerSignedStillDecodes() throws Exception {
        // the format-1 layout, written independently of the codec under test
        byte[] payload = CborRecordWriter.versioned(1, 5, 128).text("epost/identity").text(ALICE)
                .bytes(HOME.id().toBytes()).text(HOME.address()).array(1).array(2).text("INBOX").bytes(new byte[] {7})
                .end().end().end().toBytes();
        PublicKeyBlock old = PublicKeyBlock.sign(keys.signing(), IdentityBlock.LABEL, 0, payload);

        IdentityBlock read = IdentityBlock.verify(old, certificate);
        assertThat(read.home()).isEqualTo(HOME);
        assertThat(read.folderHeads()).containsOnlyKeys("INBOX");
        assertThat(read.contents().puzzleBits()).isEmpty();
    }

    @Test
    void puzzleBitsRoundTripInFormatTwoAndSurviveOtherChanges() throws Exception {
        IdentityBlock.Contents contents = IdentityBlock.Contents.of(HOME).withPuzzleBits(4);
        IdentityBlock signed = IdentityBlock.sign(keys, ALICE, 1, contents);
        assertThat(signed.block().payload()[1]).isEqualTo((byte) 2);

        IdentityBlock read = IdentityBlock.verify(signed.block(), certificate);
        assertThat(read.contents().puzzleBits()).hasValue(4);
        assertThat(read.contents()).isEqualTo(contents).isNotEqualTo(IdentityBlock.Contents.of(HOME));

        IdentityBlock.Contents moved = read.contents().withFolderHead("INBOX", new byte[] {9})
                .withHome(new NodeHandle(Id.hash("home2"), "10.0.0.2:4000")).withoutFolder("Sent");
        assertThat(moved.puzzleBits()).hasValue(4);
    }

    @Test
    void theCodecBoundsPuzzleBitsAndRefusesUnknownFormats() {
        assertThatThrownBy(() -> IdentityBlock.Contents.of(HOME).withPuzzleBits(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdentityBlock.Contents.of(HOME).withPuzzleBits(IdentityBlock.MAX_PUZZLE_BITS + 1))
                .isInstanceOf(IllegalArgumentException.class);

        byte[] tooMany = CborRecordWriter.versioned(2, 6, 128).text("epost/identity").text(ALICE)
                .bytes(HOME.id().toBytes()).text(HOME.address()).array(0).end().number(256).end().toBytes();
        assertThatThrownBy(() -> IdentityBlock.verify(PublicKeyBlock.sign(keys.signing(), IdentityBlock.LABEL, 0,
                tooMany), certificate)).isInstanceOf(AccountException.class).hasMessageContaining("puzzle bits");

        byte[] formatThree = CborRecordWriter.versioned(3, 6, 128).text("epost/identity").text(ALICE)
                .bytes(HOME.id().toBytes()).text(HOME.address()).array(0).end().number(1).end().toBytes();
        assertThatThrownBy(() -> IdentityBlock.verify(PublicKeyBlock.sign(keys.signing(), IdentityBlock.LABEL, 0,
                formatThree), certificate)).isInstanceOf(AccountException.class).hasMessageContaining("version 3");

        byte[] bitsInFormatOne = CborRecordWriter.versioned(1, 6, 128).text("epost/identity").text(ALICE)
                .bytes(HOME.id().toBytes()).text(HOME.address()).array(0).end().number(1).end().toBytes();
        assertThatThrownBy(() -> IdentityBlock.verify(PublicKeyBlock.sign(keys.signing(), IdentityBlock.LABEL, 0,
                bitsInFormatOne), certificate)).isInstanceOf(AccountException.class);
    }
}
