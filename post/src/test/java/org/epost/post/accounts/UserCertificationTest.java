package org.epost.post.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.epost.post.accounts.AccountTesting.failure;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.post.crypto.Signatures;
import org.epost.post.testing.InMemoryBlockService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A home peer without the user CA key: keys made here, certificate issued elsewhere, account finished here. */
class UserCertificationTest {
    private static final NodeHandle HOME = new NodeHandle(Id.hash("home"), "10.0.0.1:4000");
    private static final String DAVE = "dave@example.org";
    private static final long YEAR = 365 * 86_400_000L;

    @TempDir
    Path directory;

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final InMemoryBlockService blocks = new InMemoryBlockService().clock(now::get);
    private OrganizationUserAuthority userCa;
    private AccountService withoutKey;
    private AccountService withKey;
    private UserCertification certification;

    @BeforeEach
    void setUp() throws Exception {
        userCa = OrganizationUserAuthority.of(Signatures.generateKeyPair());
        KeyVault vault = AccountTesting.vault(directory.resolve("home"), 1);
        withoutKey = new AccountService(blocks, vault, null, userCa.publicKey(), now::get,
                AccountService.Settings.defaults(), Runnable::run);
        withKey = new AccountService(blocks, AccountTesting.vault(directory.resolve("other"), 2), userCa,
                userCa.publicKey(), now::get, AccountService.Settings.defaults(), Runnable::run);
        certification = new UserCertification(withoutKey, vault, userCa.publicKey(), now::get, 60_000, Runnable::run,
                directory.resolve("requests"));
    }

    @Test
    void aPendingUserIsUnknownToTheRingUntilItsCertificateIsInstalledThenItIsAnAccount() throws Exception {
        CertificationRequest request = certification.begin("Dave@Example.org").join().orElseThrow();

        assertThat(certification.pending(DAVE)).isTrue();
        assertThat(certification.request(DAVE)).contains(request);
        assertThat(certification.begin(DAVE).join()).as("the same request again").contains(request);
        assertThat(certification.requests()).containsExactly(request);
        assertThat(failure(withKey.lookupCertificate(DAVE)).reason()).isEqualTo(AccountException.Reason.NOT_FOUND);
        assertThat(withoutKey.keys(DAVE).orElseThrow().signingPublicKey()).isEqualTo(request.signingKey());

        UserCertificate issued = CertificationRequest.decode(request.encoded()).certify(userCa, now.get() + YEAR);
        assertThat(certification.install(DAVE, issued.block().encoded()).join()).isEqualTo(issued);
        Account account = withoutKey.provision(DAVE, HOME).join();
        certification.finish(DAVE);

        assertThat(certification.pending(DAVE)).isFalse();
        assertThat(certification.requests()).isEmpty();
        assertThat(account.certificate()).isEqualTo(issued);
        assertThat(withKey.lookupCertificate(DAVE).join()).isEqualTo(issued);
        assertThat(withKey.lookupIdentity(DAVE).join().home()).isEqualTo(HOME);
        assertThat(certification.begin(DAVE).join()).as("certified: provisioned as usual").isEmpty();
    }

    @Test
    void aCertificateOfAnotherCaLeavesTheUserPending() throws Exception {
        CertificationRequest request = certification.begin(DAVE).join().orElseThrow();
        OrganizationUserAuthority stranger = OrganizationUserAuthority.of(Signatures.generateKeyPair());

        AccountException refused = failure(certification.install(DAVE,
                request.certify(stranger, now.get() + YEAR).block().encoded()));

        assertThat(refused.reason()).isEqualTo(AccountException.Reason.BAD_SIGNATURE);
        assertThat(certification.pending(DAVE)).isTrue();
        assertThat(failure(withoutKey.provision(DAVE, HOME)).reason())
                .as("no certificate: the account cannot be finished").isEqualTo(AccountException.Reason.NO_LOCAL_KEYS);
    }

    @Test
    void anAddressCertifiedElsewhereCannotBeRequestedAndOnlyPendingUsersTakeCertificates() throws Exception {
        withKey.provision(DAVE, HOME).join();

        assertThat(failure(certification.begin(DAVE)).reason()).isEqualTo(AccountException.Reason.ADDRESS_TAKEN);
        AccountException notPending = failure(certification.install("erin@example.org", new byte[] {1, 2, 3}));
        assertThat(notPending.reason()).isEqualTo(AccountException.Reason.NO_LOCAL_KEYS);
        assertThat(notPending.getMessage()).contains("no certification request of erin@example.org");
    }

    @Test
    void anAbandonedRequestTakesTheKeysWithIt() throws Exception {
        certification.begin(DAVE).join().orElseThrow();

        certification.abandon(DAVE).join();

        assertThat(certification.pending(DAVE)).isFalse();
        assertThat(withoutKey.isProvisioned(DAVE)).isFalse();
    }
}
