package org.epost.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Runs James's SEARCH contract with James's Lucene index on the ePOST backend ({@link PostLuceneSearchContract}) and
 * on James's memory backend ({@link MemoryLuceneSearchContract}), and requires both to fail exactly the same tests,
 * the ones listed: those are limitations of James's Lucene index (3.8.1, Lucene 3.6), not of the mailbox data.
 */
public class PostLuceneSearchTest {
    /** Checked on both backends when this test was written: same tests, same assertion failures. */
    public static final Set<String> FAILING_ON_LUCENE_INDEX = Set.of(
        // MODSEQ criteria match nothing, alone or combined with others
        "modSeqEqualsShouldReturnUidsOfMessageHavingAGivenModSeq",
        "modSeqGreaterThanShouldReturnUidsOfMessageHavingAGreaterModSeq",
        "modSeqLessThanShouldReturnUidsOfMessageHavingAGreaterModSeq",
        "andShouldReturnResultsMatchingBothRequests",
        "orShouldReturnResultsMatchinganyRequests",
        "youShouldBeAbleToSpecifySeveralCriterionOnASingleQuery",
        // addresses: FROM with the full address of a named sender, TEXT on an address's domain part, and sorting
        // on From/Cc compare the raw header rather than the address
        "addressShouldReturnUidHavingRightExpeditorWhenFromIsSpecified",
        "textShouldMatchEmailAddressDomainPart",
        "sortOnCcShouldWork",
        "sortOnFromShouldWork",
        // no approximate (fuzzy) body match, and attachment contents are not indexed
        "bodyContainsShouldReturnUidOfMessageContainingTheApproximativeText",
        "mailsContainsShouldIncludeMailHavingAttachmentsMatchingTheRequest",
        // a flag criterion over several mailboxes also returns messages without the flag
        "multimailboxSearchShouldReturnUidOfMessageMarkedAsSeenInAllMailboxes",
        "multimailboxSearchShouldReturnUidOfMessageMarkedAsSeenInTwoMailboxes",
        // a UID criterion with no range matches nothing instead of everything
        "uidShouldreturnEveryThing");

    @Test
    void theEpostBackendFailsOnlyWhatJamesLuceneIndexFailsOnJamesOwnBackend() {
        ContractRun epost = ContractRun.of(PostLuceneSearchContract.class, FAILING_ON_LUCENE_INDEX);
        ContractRun memory = ContractRun.of(MemoryLuceneSearchContract.class, FAILING_ON_LUCENE_INDEX);
        System.out.printf("[epost-mailbox] James's SEARCH contract with Lucene: ePOST backend %d passed, %d failed; "
                + "James's memory backend %d passed, %d failed; ePOST failed %s; memory failed %s%n",
            epost.passed().size(), epost.failed().size(), memory.passed().size(), memory.failed().size(),
            epost.failed(), memory.failed());

        assertThat(memory.failed()).isEqualTo(FAILING_ON_LUCENE_INDEX);
        assertThat(epost.failed()).isEqualTo(FAILING_ON_LUCENE_INDEX);
        assertThat(epost.passed()).isEqualTo(memory.passed());
    }
}
