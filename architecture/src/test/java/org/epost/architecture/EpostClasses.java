package org.epost.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The production classes of every ePOST module, imported once for all rules (the import takes a few seconds). */
final class EpostClasses {
    private static JavaClasses classes;

    private EpostClasses() {
    }

    static synchronized JavaClasses production() {
        if (classes == null) {
            classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TEST_FIXTURES)
                .importPackages("org.epost");
        }
        return classes;
    }
}
