package org.epost.spam.policy;

import java.util.List;
import java.util.Objects;

import org.epost.overlay.id.Id;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * One editor's entries of a team list, signed with the editor's own certified key (see {@link TeamRoster}). Team and
 * editor are inside the signed payload, so a contribution cannot be presented as another team's or another editor's.
 * Encoded as {@code [format version 1, "epost/spam/team-contribution", owner, team, editor, [entry...]]}, entries
 * sorted and distinct as in {@link BlockList}.
 */
public record TeamContribution(ListRef team, String editor, BlockList list) {
    public static final int FORMAT_VERSION = 1;
    /** What the PAST label of a contribution starts with; a hash of the team follows (an address may be long). */
    public static final String LABEL_PREFIX = "epost/spam/team-entries/";
    static final String CONTEXT = "epost/spam/team-contribution";

    public TeamContribution {
        Objects.requireNonNull(team, "team");
        editor = Sender.normalize(editor);
        Objects.requireNonNull(list, "list");
    }

    /** The label of an editor's block holding their contribution to {@code team}. */
    public static String label(ListRef team) {
        return LABEL_PREFIX + Id.hash(team.toString()).toHex();
    }

    public byte[] encode() {
        List<String> entries = List.copyOf(list.entries());
        CborRecordWriter out = CborRecordWriter.versioned(FORMAT_VERSION, 5, 128 + entries.size() * 32)
            .text(CONTEXT).text(team.publisher()).text(team.name()).text(editor);
        return out.list(entries, out::text).end().toBytes();
    }

    /** @throws SpamFormatException when the bytes are not a canonical version-1 contribution */
    public static TeamContribution decode(byte[] bytes) {
        return CborRecordReader.decodeCanonical(bytes, "team contribution", SpamFormatException.FAILURES, in -> {
            in.beginRecord(FORMAT_VERSION, "team contribution");
            String context = in.text(CONTEXT.length());
            if (!CONTEXT.equals(context)) {
                throw in.malformed("expected \"" + CONTEXT + "\" but found \"" + context + "\"");
            }
            String owner = in.text(320);
            String name = in.text(4 * ListRef.MAX_NAME_CHARS);
            String editor = in.text(320);
            List<String> entries = in.list(CborRecordReader::text, BlockList.MAX_ENTRIES, "team contribution entries");
            in.endArray();
            try {
                return new TeamContribution(new ListRef(owner, name), editor, BlockList.of(entries));
            } catch (IllegalArgumentException e) {
                throw in.malformed(e.getMessage());
            }
        }, TeamContribution::encode);
    }
}
