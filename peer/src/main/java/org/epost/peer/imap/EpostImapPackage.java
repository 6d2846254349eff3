package org.epost.peer.imap;

import java.util.Collection;

import javax.inject.Inject;

import org.apache.james.imap.encode.ExpungeResponseEncoder;
import org.apache.james.imap.processor.CreateProcessor;
import org.apache.james.imap.processor.IdleProcessor;
import org.apache.james.modules.protocols.ImapPackage;
import org.apache.james.utils.ClassName;

import com.google.common.collect.ImmutableList;

/**
 * James's default IMAP package (every command, parser and encoder of stock James 3.8.1) with three of its parts
 * replaced: IDLE by {@link SerialIdleProcessor}, CREATE by {@link AlreadyExistsCreateProcessor} and the EXPUNGE
 * encoder by {@link KnownMessageExpungeEncoder}.
 * Enabled by {@code <imapPackages>org.epost.peer.imap.EpostImapPackage</imapPackages>} in {@code imapserver.xml}.
 */
public final class EpostImapPackage extends ImapPackage.Impl {
    @Inject
    public EpostImapPackage() {
        super(replace(replace(ImapPackage.DEFAULT.processors(), IdleProcessor.class, SerialIdleProcessor.class),
                CreateProcessor.class, AlreadyExistsCreateProcessor.class),
            ImmutableList.copyOf(ImapPackage.DEFAULT.decoders()),
            replace(ImapPackage.DEFAULT.encoders(), ExpungeResponseEncoder.class, KnownMessageExpungeEncoder.class));
    }

    private static ImmutableList<ClassName> replace(Collection<ClassName> classes, Class<?> stock, Class<?> ours) {
        ClassName replaced = new ClassName(stock.getName());
        if (!classes.contains(replaced)) {
            // Another James version: the replacement may no longer fit, so refuse to start rather than guess.
            throw new IllegalStateException(stock.getName() + " is not part of James's default IMAP package");
        }
        return classes.stream()
            .map(name -> name.equals(replaced) ? new ClassName(ours.getName()) : name)
            .collect(ImmutableList.toImmutableList());
    }
}
