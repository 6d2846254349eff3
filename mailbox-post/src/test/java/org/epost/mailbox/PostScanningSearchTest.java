package org.epost.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs James's SEARCH contract ({@link PostScanningSearchContract}) against the ePOST backend and requires every test
 * to pass except the ones James's scanning index fails on James's own memory backend too (checked when this test was
 * written: the same 13 fail there, with the same assertions). Those are limitations of the index (text search,
 * header dates, sorting on addresses, \Recent, empty UID sets), not of the mailbox data under it; a backend bug that
 * breaks any other SEARCH test fails this one.
 */
class PostScanningSearchTest {
    private static final Logger LOG = LoggerFactory.getLogger(PostScanningSearchTest.class);

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
        Set<String> passed = new TreeSet<>();
        Set<String> failed = new TreeSet<>();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClass(PostScanningSearchContract.class))
            .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (!(test.getSource().orElse(null) instanceof MethodSource method)) {
                    return;
                }
                if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                    passed.add(method.getMethodName());
                } else if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                    failed.add(method.getMethodName());
                    if (!FAILING_ON_SCANNING_INDEX.contains(method.getMethodName())) {
                        LOG.error("SEARCH contract test {} failed", method.getMethodName(),
                            result.getThrowable().orElse(null));
                    }
                }
            }
        });
        System.out.printf("[epost-mailbox] James's SEARCH contract on the ePOST backend: %d passed, %d failed "
            + "(the scanning index's own limitations: %s)%n", passed.size(), failed.size(),
            failed.equals(FAILING_ON_SCANNING_INDEX));

        assertThat(failed).isEqualTo(FAILING_ON_SCANNING_INDEX);
        assertThat(passed).hasSizeGreaterThanOrEqualTo(93);
    }
}
