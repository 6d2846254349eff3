package org.epost.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Runs James's SEARCH contract ({@link PostScanningSearchContract}) against the ePOST backend and requires every test
 * to pass except the ones James's scanning index fails on James's own memory backend too (checked when this test was
 * written: the same 13 fail there, with the same assertions). Those are limitations of the index (text search,
 * header dates, sorting on addresses, \Recent, empty UID sets), not of the mailbox data under it; a backend bug that
 * breaks any other SEARCH test fails this one.
 */
class PostScanningSearchTest {
    static final Set<String> FAILING_ON_SCANNING_INDEX = Set.of(
        "bodyContainsShouldReturnUidOfMessageContainingTheApproximativeText",
        "flagIsSetShouldReturnUidOfMessageMarkedAsRecentWhenUsedWithFlagRecent",
        "flagIsUnSetShouldReturnUidOfMessageNotMarkedAsRecentWhenUsedWithFlagRecent",
        "headerDateAfterShouldWork",
        "headerDateBeforeShouldWork",
        "headerDateOnShouldWork",
        "headerWithDotsShouldBeIndexed",
        "mailsContainsShouldIncludeMailHavingAttachmentsMatchingTheRequest",
        "orShouldReturnResultsMatchinganyRequests",
        "searchWithPDFAttachmentShouldReturnMailsWhenAttachmentContentMatches",
        "sortOnCcShouldWork",
        "sortOnFromShouldWork",
        "uidShouldreturnEveryThing");

    @Test
    void everySearchTestPassesExceptTheScanningIndexOwnLimitations() {
        ContractRun run = ContractRun.of(PostScanningSearchContract.class, FAILING_ON_SCANNING_INDEX);
        System.out.printf("[epost-mailbox] James's SEARCH contract on the ePOST backend: %d passed, %d failed "
            + "(the scanning index's own limitations: %s)%n", run.passed().size(), run.failed().size(),
            run.failed().equals(FAILING_ON_SCANNING_INDEX));

        assertThat(run.failed()).isEqualTo(FAILING_ON_SCANNING_INDEX);
        assertThat(run.passed()).hasSizeGreaterThanOrEqualTo(93);
    }
}
