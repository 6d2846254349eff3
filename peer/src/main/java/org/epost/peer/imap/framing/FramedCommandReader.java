package org.epost.peer.imap.framing;

import java.util.List;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.decode.DecodingException;
import org.apache.james.imap.decode.ImapRequestLineReader;
import org.apache.james.imap.message.Literal;
import org.epost.peer.imap.framing.FramedCommand.FramedLiteral;

/**
 * James's request reader over one complete {@link FramedCommand}: James's own command parsers read from it as they
 * read from James's Netty readers, but every octet is already here, so a parser either succeeds or fails for a
 * reason of the command itself, never for lack of data (James 3.8.1 re-parsed a command from the start each time
 * more data arrived, which is where its pipelining broke).
 *
 * <p>Literals are where the framer found them: {@link #read} hands out the literal standing at the current position,
 * and {@link #nextChar} refuses to read literal octets as command text.
 */
final class FramedCommandReader extends ImapRequestLineReader {
    private final FramedCommand command;
    private final byte[] text;
    private final List<FramedLiteral> literals;
    private int position;
    private int nextLiteral;

    FramedCommandReader(FramedCommand command) {
        this.command = command;
        this.text = command.text();
        this.literals = command.literals();
    }

    @Override
    public char nextChar() throws DecodingException {
        if (!nextSeen) {
            if (position >= text.length) {
                throw new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, "Unexpected end of command.");
            }
            if (literalAtPosition()) {
                throw new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, "Unexpected literal.");
            }
            // The same octet-to-char conversion as James's readers (a sign-extending cast): its parsers expect it.
            nextChar = (char) text[position++];
            nextSeen = true;
        }
        return nextChar;
    }

    /**
     * The literal the parser has just read the marker of. {@code extraCRLF} (APPEND's message): the command must
     * end right after it; James checks that when its literal stream ends, here it is checked at once, so a
     * malformed APPEND is a BAD of the parser rather than a failure while the message is stored.
     */
    @Override
    public Literal read(int size, boolean extraCRLF) throws DecodingException {
        if (nextSeen || !literalAtPosition()) {
            throw new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, "No literal here.");
        }
        FramedLiteral literal = literals.get(nextLiteral);
        if (literal.size() != size) {
            throw new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, "Literal size " + size + " is not the framed " + literal.size());
        }
        nextLiteral++;
        if (extraCRLF) {
            eol();
        }
        return command.take(literal);
    }

    /** The framer already asked for every synchronizing literal when it saw its marker. */
    @Override
    protected void commandContinuationRequest() {
    }

    private boolean literalAtPosition() {
        return nextLiteral < literals.size() && literals.get(nextLiteral).textOffset() == position;
    }
}
