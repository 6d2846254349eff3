package org.epost.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The module order of ../shared/DESIGN.md section 2, on the packages each module owns: overlay <- durability <- post
 * <- mailbox-post <- mailets, spam, interop <- peer. A lower module never uses a higher one, and the three modules
 * beside each other do not use each other; each module's root package belongs to exactly that module.
 */
class ModuleLayeringTest {
    static final String OVERLAY = "org.epost.overlay..";
    static final String DURABILITY = "org.epost.durability..";
    static final String POST = "org.epost.post..";
    static final String MAILBOX = "org.epost.mailbox..";
    static final String MAILETS = "org.epost.mailets..";
    static final String SPAM = "org.epost.spam..";
    static final String INTEROP = "org.epost.interop..";
    static final String PEER = "org.epost.peer..";

    private final JavaClasses classes = EpostClasses.production();

    @Test
    void everyModuleIsImported() {
        for (String module : new String[] {OVERLAY, DURABILITY, POST, MAILBOX, MAILETS, SPAM, PEER}) {
            String root = module.substring(0, module.length() - 2);
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(root)))
                .as("classes of %s on the test class path", root).isTrue();
        }
    }

    @Test
    void modulesDependOnlyDownwards() {
        ArchRule rule = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .withOptionalLayers(true)
            .layer("overlay").definedBy(OVERLAY)
            .layer("durability").definedBy(DURABILITY)
            .layer("post").definedBy(POST)
            .layer("mailbox-post").definedBy(MAILBOX)
            .layer("mailets").definedBy(MAILETS)
            .layer("spam").definedBy(SPAM)
            .layer("interop").definedBy(INTEROP)
            .layer("peer").definedBy(PEER)
            .whereLayer("peer").mayNotBeAccessedByAnyLayer()
            .whereLayer("mailets").mayOnlyBeAccessedByLayers("peer")
            .whereLayer("spam").mayOnlyBeAccessedByLayers("peer")
            .whereLayer("interop").mayOnlyBeAccessedByLayers("peer")
            .whereLayer("mailbox-post").mayOnlyBeAccessedByLayers("mailets", "spam", "interop", "peer")
            .whereLayer("post").mayOnlyBeAccessedByLayers("mailbox-post", "mailets", "spam", "interop", "peer")
            .whereLayer("durability").mayOnlyBeAccessedByLayers("post", "mailbox-post", "mailets", "spam", "interop",
                "peer");
        rule.check(classes);
    }

    @Test
    void overlayDurabilityAndPostKnowNoJamesServerOrMailboxType() {
        // Apache mime4j lives under org.apache.james but is a MIME library, not James: the message store parses with it.
        noClasses().that().resideInAnyPackage(OVERLAY, DURABILITY)
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.james..")
            .check(classes);
        noClasses().that().resideInAPackage(POST)
            .should().dependOnClassesThat(
                com.tngtech.archunit.base.DescribedPredicate.describe("are James types other than mime4j",
                    c -> c.getPackageName().startsWith("org.apache.james")
                        && !c.getPackageName().startsWith("org.apache.james.mime4j")))
            .check(classes);
    }

    @Test
    void onlyPeerKnowsGuice() {
        noClasses().that().resideOutsideOfPackage(PEER)
            .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..")
            .because("peer is the composition root; the modules below are plain classes it wires")
            .check(classes);
    }
}
