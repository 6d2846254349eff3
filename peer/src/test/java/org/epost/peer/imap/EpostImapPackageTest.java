package org.epost.peer.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.james.imap.encode.ExpungeResponseEncoder;
import org.apache.james.imap.processor.CreateProcessor;
import org.apache.james.imap.processor.IdleProcessor;
import org.apache.james.modules.protocols.ImapPackage;
import org.apache.james.utils.ClassName;
import org.junit.jupiter.api.Test;

class EpostImapPackageTest {
    private final EpostImapPackage epost = new EpostImapPackage();

    @Test
    void replacesOnlyJamesIdleAndCreateProcessors() {
        assertThat(names(epost.processors()))
            .contains(SerialIdleProcessor.class.getName(), AlreadyExistsCreateProcessor.class.getName())
            .doesNotContain(IdleProcessor.class.getName(), CreateProcessor.class.getName())
            .hasSameSizeAs(ImapPackage.DEFAULT.processors());
        assertThat(names(epost.processors())).containsAll(names(ImapPackage.DEFAULT.processors()).stream()
            .filter(name -> !name.equals(IdleProcessor.class.getName()) && !name.equals(CreateProcessor.class.getName()))
            .toList());
    }

    @Test
    void replacesOnlyJamesExpungeEncoder() {
        assertThat(names(epost.encoders()))
            .contains(KnownMessageExpungeEncoder.class.getName())
            .doesNotContain(ExpungeResponseEncoder.class.getName())
            .hasSameSizeAs(ImapPackage.DEFAULT.encoders());
    }

    @Test
    void keepsJamesParsers() {
        assertThat(epost.decoders()).containsExactlyElementsOf(ImapPackage.DEFAULT.decoders());
    }

    @Test
    void everyClassItNamesExists() {
        assertThat(names(epost.processors())).allSatisfy(EpostImapPackageTest::loads);
        assertThat(names(epost.encoders())).allSatisfy(EpostImapPackageTest::loads);
    }

    private static List<String> names(java.util.Collection<ClassName> classes) {
        return classes.stream().map(ClassName::getName).toList();
    }

    private static void loads(String name) {
        try {
            Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name + " cannot be loaded", e);
        }
    }
}
