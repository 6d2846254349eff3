package org.epost.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

/** No cycles between modules, nor between any two packages: a package per concept, each above the ones it uses. */
class PackageCycleTest {

    @Test
    void modulesAreFreeOfCycles() {
        slices().matching("org.epost.(*)..").should().beFreeOfCycles().check(EpostClasses.production());
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("org.epost.(**)").should().beFreeOfCycles().check(EpostClasses.production());
    }
}
