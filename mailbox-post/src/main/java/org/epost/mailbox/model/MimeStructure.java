package org.epost.mailbox.model;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.james.mailbox.model.Header;
import org.apache.james.mailbox.model.MimeDescriptor;
import org.epost.overlay.wire.CborRecordReader;
import org.epost.overlay.wire.CborRecordWriter;

/**
 * A message's MIME structure as James describes it ({@link MimeDescriptor}: what IMAP's BODYSTRUCTURE is made of),
 * kept as values so that it can be stored with the message and served without reading the message's parts. Built
 * from the descriptor James computes ({@link #of}), it answers every question exactly as that descriptor did,
 * parameter order included.
 *
 * <p>Canonical CBOR, {@code [format version }{@value #FORMAT_VERSION}{@code , top entity]}, one array per entity:
 * {@code [headers [[name, value]...], type?, subtype?, id?, description?, location?, md5?, encoding?, languages?,
 * disposition?, dispositionParams [[k, v]...], contentTypeParams [[k, v]...], lines, bodyOctets, parts [...],
 * embedded?]} where {@code x?} is an array of zero or one element, and {@code languages} a list of texts. Nesting is
 * bounded by {@value #MAX_DEPTH} and the number of entities by {@value #MAX_ENTITIES}.
 */
public record MimeStructure(List<Header> headerList, String mimeType, String mimeSubType, String contentId,
                            String contentDescription, String contentLocation, String contentMd5,
                            String transferEncoding, List<String> languages, String disposition,
                            Map<String, String> dispositionParams, Map<String, String> contentTypeParams, long lines,
                            long bodyOctets, List<MimeStructure> partList, MimeStructure embedded)
        implements MimeDescriptor {
    public static final int FORMAT_VERSION = 1;
    public static final int MAX_DEPTH = 32;
    public static final int MAX_ENTITIES = 10_000;

    public MimeStructure {
        headerList = List.copyOf(headerList);
        languages = languages == null ? null : List.copyOf(languages);
        dispositionParams = dispositionParams == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(dispositionParams));
        contentTypeParams = contentTypeParams == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(contentTypeParams));
        partList = List.copyOf(partList);
    }

    /** The values of {@code descriptor} and of everything it contains. */
    public static MimeStructure of(MimeDescriptor descriptor) throws org.apache.james.mailbox.exception.MailboxException {
        List<Header> headers = new ArrayList<>();
        descriptor.headers().forEachRemaining(headers::add);
        List<MimeStructure> parts = new ArrayList<>();
        for (Iterator<MimeDescriptor> it = descriptor.parts(); it.hasNext(); ) {
            parts.add(of(it.next()));
        }
        MimeDescriptor embedded = descriptor.embeddedMessage();
        return new MimeStructure(headers, descriptor.getMimeType(), descriptor.getMimeSubType(),
            descriptor.getContentID(), descriptor.getContentDescription(), descriptor.getContentLocation(),
            descriptor.getContentMD5(), descriptor.getTransferContentEncoding(), descriptor.getLanguages(),
            descriptor.getDisposition(), descriptor.getDispositionParams(), descriptor.contentTypeParameters(),
            descriptor.getLines(), descriptor.getBodyOctets(), parts, embedded == null ? null : of(embedded));
    }

    public byte[] encode() {
        return CborRecordWriter.envelope(FORMAT_VERSION, 512, this::write);
    }

    /** @throws RecordFormatException when {@code bytes} is not a canonically encoded structure within the bounds */
    public static MimeStructure decode(byte[] bytes) {
        int[] entities = {0};
        return CborRecordReader.decodeCanonical(bytes, "MIME structure", RecordFormatException.FAILURES,
                in -> in.envelope(FORMAT_VERSION, "MIME structure", r -> read(r, 0, entities)),
                MimeStructure::encode);
    }

    private void write(CborRecordWriter out) {
        out.array(16);
        out.list(headerList, header -> out.array(2).text(header.getName()).text(header.getValue()).end());
        for (String value : new String[] {mimeType, mimeSubType, contentId, contentDescription, contentLocation,
            contentMd5, transferEncoding}) {
            out.optional(value, out::text);
        }
        out.optional(languages, list -> out.list(list, out::text));
        out.optional(disposition, out::text);
        out.optional(dispositionParams, map -> writeMap(out, map));
        out.optional(contentTypeParams, map -> writeMap(out, map));
        out.number(lines).number(bodyOctets);
        out.list(partList, part -> part.write(out));
        out.optional(embedded, inner -> inner.write(out));
        out.end();
    }

    private static void writeMap(CborRecordWriter out, Map<String, String> map) {
        out.list(List.copyOf(map.entrySet()), entry -> out.array(2).text(entry.getKey()).text(entry.getValue()).end());
    }

    private static MimeStructure read(CborRecordReader<RecordFormatException> in, int depth, int[] entities) {
        if (depth > MAX_DEPTH) {
            throw new RecordFormatException("MIME structure nested deeper than " + MAX_DEPTH);
        }
        if (++entities[0] > MAX_ENTITIES) {
            throw new RecordFormatException("MIME structure of more than " + MAX_ENTITIES + " entities");
        }
        in.beginArray();
        List<Header> headers = in.list(r -> {
            r.beginArray();
            Header header = new Header(r.text(), r.text());
            r.endArray();
            return header;
        });
        String[] texts = new String[7];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = in.optional(CborRecordReader::text);
        }
        List<String> languages = in.optional(r -> r.list(CborRecordReader::text));
        String disposition = in.optional(CborRecordReader::text);
        Map<String, String> dispositionParams = in.optional(MimeStructure::readMap);
        Map<String, String> contentTypeParams = in.optional(MimeStructure::readMap);
        long lines = in.number();
        long bodyOctets = in.nonNegative("body octets");
        List<MimeStructure> parts = in.list(r -> read(r, depth + 1, entities));
        MimeStructure embedded = in.optional(r -> read(r, depth + 1, entities));
        in.endArray();
        return new MimeStructure(headers, texts[0], texts[1], texts[2], texts[3], texts[4], texts[5], texts[6],
            languages, disposition, dispositionParams, contentTypeParams, lines, bodyOctets, parts, embedded);
    }

    private static Map<String, String> readMap(CborRecordReader<RecordFormatException> in) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String[] pair : in.list(r -> {
                r.beginArray();
                String[] entry = {r.text(), r.text()};
                r.endArray();
                return entry;
            })) {
            if (map.put(pair[0], pair[1]) != null) {
                throw new RecordFormatException("parameter " + pair[0] + " appears twice");
            }
        }
        return map;
    }

    // ================================================================ MimeDescriptor

    @Override
    public Iterator<Header> headers() {
        return headerList.iterator();
    }

    /** The header as "name: value" lines and an empty line, as James's own descriptor renders it. */
    @Override
    public InputStream getInputStream() {
        StringBuilder text = new StringBuilder();
        for (Header header : headerList) {
            text.append(header.getName()).append(": ").append(header.getValue()).append("\r\n");
        }
        text.append("\r\n");
        return new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public long size() {
        return headerList.stream().mapToLong(header -> header.size() + 2).sum() + 2;
    }

    @Override
    public String getMimeType() {
        return mimeType;
    }

    @Override
    public String getMimeSubType() {
        return mimeSubType;
    }

    @Override
    public String getContentID() {
        return contentId;
    }

    @Override
    public String getContentDescription() {
        return contentDescription;
    }

    @Override
    public String getContentLocation() {
        return contentLocation;
    }

    @Override
    public String getContentMD5() {
        return contentMd5;
    }

    @Override
    public String getTransferContentEncoding() {
        return transferEncoding;
    }

    @Override
    public List<String> getLanguages() {
        return languages;
    }

    @Override
    public String getDisposition() {
        return disposition;
    }

    @Override
    public Map<String, String> getDispositionParams() {
        return dispositionParams;
    }

    @Override
    public long getLines() {
        return lines;
    }

    @Override
    public long getBodyOctets() {
        return bodyOctets;
    }

    @Override
    public Iterator<MimeDescriptor> parts() {
        return Collections.<MimeDescriptor>unmodifiableList(partList).iterator();
    }

    @Override
    public MimeDescriptor embeddedMessage() {
        return embedded;
    }

    @Override
    public Map<String, String> contentTypeParameters() {
        return contentTypeParams;
    }
}
