package org.epost.mailbox;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Set;
import java.util.TreeSet;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a James contract class that is known to fail a few tests (so surefire does not run it directly) and tells
 * which test methods passed and which failed; failures outside {@code expectedFailures} are logged with their cause,
 * so that a regression says why.
 */
public record ContractRun(Set<String> passed, Set<String> failed) {
    private static final Logger LOG = LoggerFactory.getLogger(ContractRun.class);

    public static ContractRun of(Class<?> contract, Set<String> expectedFailures) {
        Set<String> passed = new TreeSet<>();
        Set<String> failed = new TreeSet<>();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClass(contract))
            .build();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (!(test.getSource().orElse(null) instanceof MethodSource method)) {
                    return;
                }
                if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                    passed.add(method.getMethodName());
                } else if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                    failed.add(method.getMethodName());
                    if (!expectedFailures.contains(method.getMethodName())) {
                        LOG.error("{} test {} failed", contract.getSimpleName(), method.getMethodName(),
                            result.getThrowable().orElse(null));
                    }
                }
            }
        });
        return new ContractRun(passed, failed);
    }
}
