package org.epost.peer.imap.framing;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.imap.message.Literal;

/**
 * One whole IMAP command as the client sent it: its text (every line, CRLFs included, literals left out) and its
 * literals, each with the offset in the text where it stands (right after the line that announced it). Only a
 * complete command is handed to James's parser, so the parser never meets the end of the buffered bytes.
 *
 * <p>Literals in temporary files belong to this command until the parser takes one ({@link #take}); whatever
 * was not taken is deleted by {@link #close(boolean)}.
 */
public final class FramedCommand {
    /** A literal of the command: where it stands in the text, and its content. */
    record FramedLiteral(int textOffset, int size, Literal content) {
    }

    private final byte[] text;
    private final List<FramedLiteral> literals;
    private final List<Literal> taken = new ArrayList<>();

    FramedCommand(byte[] text, List<FramedLiteral> literals) {
        this.text = text;
        this.literals = List.copyOf(literals);
    }

    byte[] text() {
        return text;
    }

    List<FramedLiteral> literals() {
        return literals;
    }

    /** The parser takes the literal: from now on, what it builds from it (an APPEND request) may own it. */
    Literal take(FramedLiteral literal) {
        taken.add(literal.content());
        return literal.content();
    }

    /** The literal files the parser took: once its request owns them, they are James's to close. */
    List<SpilledLiteral> spilledTaken() {
        return taken.stream().filter(SpilledLiteral.class::isInstance).map(SpilledLiteral.class::cast).toList();
    }

    /** The command's first line without its line ending (for logs and the STARTTLS check). */
    public String firstLine() {
        int end = 0;
        while (end < text.length && text[end] != '\n' && text[end] != '\r') {
            end++;
        }
        return new String(text, 0, end, StandardCharsets.US_ASCII);
    }

    /**
     * Deletes the literal files nobody owns after parsing: all of them if {@code resultOwnsTaken} is false (the
     * parser answered with an error, or built a request that does not close what it holds), otherwise those the
     * parser did not take (James's APPEND request closes its message literal itself once processed).
     */
    public void close(boolean resultOwnsTaken) {
        for (FramedLiteral literal : literals) {
            if (literal.content() instanceof Closeable && (!resultOwnsTaken || !taken.contains(literal.content()))) {
                ((SpilledLiteral) literal.content()).close();
            }
        }
    }
}
