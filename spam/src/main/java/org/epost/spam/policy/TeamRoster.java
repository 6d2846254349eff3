package org.epost.spam.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * The owner's block of a team list: which users may edit it. A public-key block has one signer, so a list several
 * users edit is this roster, signed by the owner, plus one {@link TeamContribution} per editor, each signed by its
 * editor; a follower's peer counts a contribution only while the owner's newest roster names its editor (by address:
 * the organization's certificate binds an address to one key, so naming the address names the key). The owner edits
 * only if they name themselves. Encoded as {@code [format version 1, "epost/spam/team-roster", owner, team,
 * [editor...]]}, editors sorted and distinct, at most {@value #MAX_EDITORS}, since a follower's peer fetches each.
 */
public record TeamRoster(ListRef team, SortedSet<String> editors) {
    public static final int FORMAT_VERSION = 1;
    public static final int MAX_EDITORS = 32;
    /** What the PAST label of a roster starts with; the team's name follows. */
    public static final String LABEL_PREFIX = "epost/spam/team/";
    static final String CONTEXT = "epost/spam/team-roster";

    public TeamRoster {
        Objects.requireNonNull(team, "team");
        TreeSet<String> set = new TreeSet<>();
        editors.forEach(editor -> set.add(Sender.normalize(editor)));
        if (set.size() > MAX_EDITORS) {
            throw new IllegalArgumentException("a team list has at most " + MAX_EDITORS + " editors, not "
                + set.size());
        }
        editors = Collections.unmodifiableSortedSet(set);
    }

    public static TeamRoster of(ListRef team, List<String> editors) {
        return new TeamRoster(team, new TreeSet<>(editors));
    }

    /** The label of the owner's block holding the roster of {@code team}. */
    public static String label(ListRef team) {
        return LABEL_PREFIX + team.name();
    }

    public TeamRoster with(String editor) {
        TreeSet<String> set = new TreeSet<>(editors);
        set.add(Sender.normalize(editor));
        return new TeamRoster(team, set);
    }

    public TeamRoster without(String editor) {
        TreeSet<String> set = new TreeSet<>(editors);
        set.remove(Sender.normalize(editor));
        return new TeamRoster(team, set);
    }

    /** The team list: the union of the named editors' entries, and which editors did not fit. */
    public record Merged(BlockList list, Optional<String> problem) {
    }

    /**
     * Merges the contributions of the editors this roster names, in address order, up to {@value
     * BlockList#MAX_ENTRIES} entries: a contribution from anyone else does not count, and an editor whose entries no
     * longer fit is left out whole (named in the problem), so what is enforced never depends on fetch order.
     */
    public Merged merge(Map<String, BlockList> contributions) {
        TreeSet<String> merged = new TreeSet<>();
        List<String> left = new ArrayList<>();
        for (String editor : editors) {
            BlockList part = contributions.getOrDefault(editor, BlockList.EMPTY);
            TreeSet<String> with = new TreeSet<>(merged);
            with.addAll(part.entries());
            if (with.size() > BlockList.MAX_ENTRIES) {
                left.add(editor);
            } else {
                merged = with;
            }
        }
        return new Merged(BlockList.of(List.copyOf(merged)), left.isEmpty() ? Optional.empty()
            : Optional.of("more than " + BlockList.MAX_ENTRIES + " entries: left out the entries of " + left));
    }

    public byte[] encode() {
        CborRecordWriter out = CborRecordWriter.versioned(FORMAT_VERSION, 4, 96 + editors.size() * 32)
            .text(CONTEXT).text(team.publisher()).text(team.name());
        return out.list(List.copyOf(editors), out::text).end().toBytes();
    }

    /** @throws SpamFormatException when the bytes are not a canonical version-1 roster of at most 32 editors */
    public static TeamRoster decode(byte[] bytes) {
        return CborRecordReader.decodeCanonical(bytes, "team roster", SpamFormatException.FAILURES, in -> {
            in.beginRecord(FORMAT_VERSION, "team roster");
            String context = in.text(CONTEXT.length());
            if (!CONTEXT.equals(context)) {
                throw in.malformed("expected \"" + CONTEXT + "\" but found \"" + context + "\"");
            }
            String owner = in.text(320);
            String name = in.text(4 * ListRef.MAX_NAME_CHARS);
            List<String> editors = in.list(r -> r.text(320), MAX_EDITORS, "team editors");
            in.endArray();
            try {
                return of(new ListRef(owner, name), editors);
            } catch (IllegalArgumentException e) {
                throw in.malformed(e.getMessage());
            }
        }, TeamRoster::encode);
    }
}
