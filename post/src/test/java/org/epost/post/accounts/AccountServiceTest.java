package org.epost.post.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.post.accounts.AccountTesting.failure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.block.BlockKey;
import org.epost.overlay.past.block.CertificateBlock;
import org.epost.overlay.past.block.PublicKeyBlock;
import org.epost.overlay.wire.CanonicalCborWriter;
import org.epost.post.crypto.Signatures;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AccountService over a storage layer that serves whatever an attacker plants: the accounts layer's own checks. */
class AccountServiceTest {
    private static final NodeHandle HOME = new NodeHandle(Id.hash("home"), "10.0.0.1:4000");

    @TempDir
    Path directory;

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final InMemoryBlockService blocks = new InMemoryBlockService().clock(now::get);
    private OrganizationUserAuthority authority;
    private AccountService home;
    private AccountService reader;

    @BeforeEach
    void setUp() throws Exception {
        authority = OrganizationUserAuthority.of(Signatures.generateKeyPair());
        home = new AccountService(blocks, AccountTesting.vault(directory.resolve("home"), 1), authority,
                authority.publicKey(), now::get, AccountService.Settings.defaults(), Runnable::run);
        reader = new AccountService(blocks, AccountTesting.vault(directory.resolve("reader"), 2), null,
                authority.publicKey(), now::get, AccountService.Settings.defaults(), Runnable::run);
    }

    @Test
    void provisionStoresKeysCertificateAndIdentityAndIsIdempotent() throws Exception {
        Account first = home.provision("Alice@Example.org", HOME).join();
        assertThat(first.created()).isTrue();
        assertThat(first.address()).isEqualTo("alice@example.org");
        assertThat(first.identity().version()).isZero();
        assertThat(first.identity().home()).isEqualTo(HOME);
        UserKeys keys = home.keys("alice@example.org").orElseThrow();
        assertThat(keys.matches(first.certificate())).isTrue();
        long insertsAfterFirst = blocks.inserts();

        Account again = home.provision("alice@example.org", HOME).join();
        assertThat(again.created()).isFalse();
        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(home.keys("alice@example.org").orElseThrow().signingPublicKey()).isEqualTo(keys.signingPublicKey());
        assertThat(blocks.inserts()).as("nothing re-inserted when everything is there").isEqualTo(insertsAfterFirst);

        // the identity got lost from storage: a retry re-publishes it, with a higher version, same keys
        blocks.remove(IdentityBlock.keyFor(keys.signingPublicKey()));
        Account repaired = home.provision("alice@example.org", HOME).join();
        assertThat(repaired.created()).isFalse();
        assertThat(repaired.identity().version()).isEqualTo(1);
        assertThat(repaired.certificate().signingKey()).isEqualTo(keys.signingPublicKey());
    }

    @Test
    void invalidAddressesAreRefused() {
        assertThat(failure(home.provision("no-at-sign", HOME)).reason())
                .isEqualTo(AccountException.Reason.INVALID_ADDRESS);
        assertThat(failure(home.provision("a b@example.org", HOME)).reason())
                .isEqualTo(AccountException.Reason.INVALID_ADDRESS);
        assertThat(failure(reader.lookupCertificate("@example.org")).reason())
                .isEqualTo(AccountException.Reason.INVALID_ADDRESS);
    }

    @Test
    void unknownUserIsNotFound() {
        assertThat(failure(reader.lookupIdentity("nobody@example.org")).reason())
                .isEqualTo(AccountException.Reason.NOT_FOUND);
    }

    @Test
    void certificateSignedByAnotherKeyIsRejected() {
        KeyPair forger = Signatures.generateKeyPair();
        UserKeys keys = UserKeys.generate();
        CertificateBlock forged = CertificateBlock.issue(forger.getPrivate(), "user:mallory@example.org",
                List.of(keys.signingPublicKey().getEncoded(), keys.encryptionPublicKey().getEncoded()),
                now.get() + 86_400_000L);
        blocks.plant(UserCertificate.keyFor("mallory@example.org"), forged);

        AccountException rejected = failure(reader.lookupCertificate("mallory@example.org"));
        assertThat(rejected.reason()).isEqualTo(AccountException.Reason.BAD_SIGNATURE);
        assertThat(rejected.getMessage()).contains("not signed by the CA");
        assertThat(failure(reader.lookupIdentity("mallory@example.org")).reason())
                .isEqualTo(AccountException.Reason.BAD_SIGNATURE);
    }

    @Test
    void certificateForAnotherAddressOrExpiredIsRejected() {
        home.provision("alice@example.org", HOME).join();
        // bob's certificate handle served alice's certificate: wrong handle
        blocks.plant(UserCertificate.keyFor("bob@example.org"),
                blocks.block(UserCertificate.keyFor("alice@example.org")).orElseThrow());
        assertThat(failure(reader.lookupCertificate("bob@example.org")).reason())
                .isEqualTo(AccountException.Reason.WRONG_KEY);

        now.addAndGet(AccountService.Settings.defaults().certificateValidityMillis() + 120_000);
        AccountException expired = failure(reader.lookupCertificate("alice@example.org"));
        assertThat(expired.reason()).isEqualTo(AccountException.Reason.EXPIRED);
    }

    @Test
    void identitySignedByAnotherKeyIsRejected() throws Exception {
        Account alice = home.provision("alice@example.org", HOME).join();
        UserKeys impostor = UserKeys.generate();
        IdentityBlock forged = IdentityBlock.sign(impostor, "alice@example.org", 7,
                IdentityBlock.Contents.of(new NodeHandle(Id.hash("evil"), "6.6.6.6:666")));
        // served at alice's identity handle (a real PAST node would refuse: the handle binds the key)
        blocks.plant(IdentityBlock.keyFor(alice.certificate().signingKey()), forged.block());

        AccountException rejected = failure(reader.lookupIdentity("alice@example.org"));
        assertThat(rejected.reason()).isEqualTo(AccountException.Reason.WRONG_KEY);
        assertThat(rejected.getMessage()).contains("does not certify");
    }

    @Test
    void identityNamingAnotherAddressIsRejected() throws Exception {
        home.provision("alice@example.org", HOME).join();
        Account bob = home.provision("bob@example.org", HOME).join();
        UserKeys bobKeys = home.keys("bob@example.org").orElseThrow();
        // bob signs an identity claiming to be alice, under his own (certified) key
        IdentityBlock claim = IdentityBlock.sign(bobKeys, "alice@example.org", 5, IdentityBlock.Contents.of(HOME));
        blocks.plant(IdentityBlock.keyFor(bob.certificate().signingKey()), claim.block());
        AccountException rejected = failure(reader.lookupIdentity("bob@example.org"));
        assertThat(rejected.reason()).isEqualTo(AccountException.Reason.WRONG_KEY);
        assertThat(rejected.getMessage()).contains("names alice@example.org");
    }

    @Test
    void replayedOlderIdentityIsRejectedAndPublishingIncreasesVersions() throws Exception {
        home.provision("alice@example.org", HOME).join();
        byte[] inboxHead = Id.hash("inbox-log-head").toBytes();
        IdentityBlock v1 = home.publishIdentity("alice@example.org",
                contents -> contents.withFolderHead("INBOX", inboxHead)).join();
        assertThat(v1.version()).isEqualTo(1);
        IdentityBlock v1Read = reader.lookupIdentity("alice@example.org").join();
        assertThat(v1Read.version()).isEqualTo(1);
        assertThat(v1Read.folderHeads().get("INBOX")).isEqualTo(inboxHead);

        NodeHandle moved = new NodeHandle(Id.hash("home2"), "10.0.0.2:4000");
        IdentityBlock v2 = home.publishIdentity("alice@example.org", contents -> contents.withHome(moved)).join();
        assertThat(v2.version()).isEqualTo(2);
        IdentityBlock v2Read = reader.lookupIdentity("alice@example.org").join();
        assertThat(v2Read.version()).isEqualTo(2);
        assertThat(v2Read.home()).isEqualTo(moved);
        assertThat(v2Read.folderHeads()).containsKey("INBOX");

        // storage replays v1 (validly signed, but older than what the reader already accepted)
        blocks.plant(v1.block().key(), v1.block());
        AccountException stale = failure(reader.lookupIdentity("alice@example.org"));
        assertThat(stale.reason()).isEqualTo(AccountException.Reason.STALE_VERSION);
        assertThat(stale.getMessage()).contains("v1").contains("v2");

        // the owner does not regress either: the next version is 3, built on v2
        IdentityBlock v3 = home.publishIdentity("alice@example.org", contents -> contents.withoutFolder("INBOX"))
                .join();
        assertThat(v3.version()).isEqualTo(3);
        assertThat(v3.home()).isEqualTo(moved);
        assertThat(reader.lookupIdentity("alice@example.org").join().version()).isEqualTo(3);
    }

    @Test
    void theLeasedBlocksAreTheCertificateAndIdentityAsInsertedAndOnlyOnTheHomePeer() throws Exception {
        Account alice = home.provision("alice@example.org", HOME).join();
        List<BlockKey> leased = home.leasedBlocks("Alice@Example.org").orElseThrow();

        assertThat(leased).containsExactly(alice.certificate().block().key(), alice.identity().block().key());
        assertThat(AccountService.leasedBlocks(alice)).isEqualTo(leased);
        assertThat(blocks.keys()).as("every block provisioning inserted is leased")
                .containsExactlyInAnyOrderElementsOf(leased);
        assertThat(reader.leasedBlocks("alice@example.org")).as("not homed on the reader's peer").isEmpty();
        home.deprovision("alice@example.org").join();
        assertThat(home.leasedBlocks("alice@example.org")).isEmpty();
    }

    @Test
    void publishingNeedsLocalKeysAndDeprovisionRemovesThem() throws Exception {
        home.provision("alice@example.org", HOME).join();
        assertThat(failure(reader.publishIdentity("alice@example.org", c -> c)).reason())
                .isEqualTo(AccountException.Reason.NO_LOCAL_KEYS);

        assertThat(home.deprovision("alice@example.org").join()).isTrue();
        assertThat(home.isProvisioned("alice@example.org")).isFalse();
        assertThat(home.keys("alice@example.org")).isEmpty();
        assertThat(home.deprovision("alice@example.org").join()).isFalse();
        // the blocks stay until their leases lapse: still readable, and the address cannot get new keys meanwhile
        assertThat(reader.lookupIdentity("alice@example.org").join().version()).isZero();
        assertThat(failure(home.provision("alice@example.org", HOME)).reason())
                .isEqualTo(AccountException.Reason.ADDRESS_TAKEN);
        assertThat(home.isProvisioned("alice@example.org")).as("no keys left behind by the refused attempt").isFalse();
    }

    @Test
    void identityPayloadIsStrictAndCanonical() throws Exception {
        Account alice = home.provision("alice@example.org", HOME).join();
        UserKeys keys = home.keys("alice@example.org").orElseThrow();
        IdentityBlock.Contents contents = IdentityBlock.Contents.of(HOME)
                .withFolderHead("b", new byte[] {2}).withFolderHead("a", new byte[] {1});
        byte[] canonical = IdentityBlock.encodePayload("alice@example.org", contents);
        IdentityBlock good = IdentityBlock.verify(PublicKeyBlock.sign(keys.signing(), "identity", 9, canonical),
                alice.certificate());
        assertThat(good.folderHeads().keySet()).containsExactly("a", "b");
        assertThat(good.contents()).isEqualTo(contents);

        // folders out of order: a different encoding of the same map
        byte[] unsorted = new CanonicalCborWriter(256).startArray(6).number(1).text("epost/identity").text("alice@example.org")
                .bytes(HOME.id().toBytes()).text(HOME.address())
                .startArray(2).startArray(2).text("b").bytes(new byte[] {2}).endArray().startArray(2).text("a").bytes(new byte[] {1}).endArray()
                .endArray().endArray().toBytes();
        byte[] trailing = java.util.Arrays.copyOf(canonical, canonical.length + 1);
        byte[] otherContext = new CanonicalCborWriter(256).startArray(6).number(1).text("epost/identitx").text("alice@example.org")
                .bytes(HOME.id().toBytes()).text(HOME.address()).startArray(0).endArray().endArray().toBytes();
        byte[] otherVersion = new CanonicalCborWriter(256).startArray(6).number(2).text("epost/identity").text("alice@example.org")
                .bytes(HOME.id().toBytes()).text(HOME.address()).startArray(0).endArray().endArray().toBytes();
        byte[] truncated = java.util.Arrays.copyOf(canonical, canonical.length - 1);
        byte[] garbage = "not cbor at all".getBytes(StandardCharsets.US_ASCII);
        for (byte[] bad : List.of(unsorted, trailing, otherContext, otherVersion, truncated, garbage)) {
            PublicKeyBlock block = PublicKeyBlock.sign(keys.signing(), "identity", 10, bad);
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> IdentityBlock.verify(block, alice.certificate()), AccountException.class).reason())
                    .isEqualTo(AccountException.Reason.MALFORMED);
        }
        // another label under the same key is not the identity block
        PublicKeyBlock otherLabel = PublicKeyBlock.sign(keys.signing(), "log:INBOX", 1, canonical);
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> IdentityBlock.verify(otherLabel, alice.certificate()), AccountException.class).reason())
                .isEqualTo(AccountException.Reason.WRONG_KEY);
    }
}
