package io.graft.runtime.felix;

import io.graft.runtime.UserException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The allow-list of a locked-down installation: the SHA-256 checksums of the plugin jars it may load, one
 * per line as {@code sha256sum} prints them ({@code <64 hex digits>  <file name>}; the name is for people,
 * only the checksum counts, so a trusted jar may be renamed). Blank lines and lines starting with {@code #}
 * are ignored. Without the file every jar of the plugins folder is loaded; with it, even empty, only the
 * listed ones are.
 *
 * <pre>{@code
 * cd plugins && sha256sum *.jar > ../conf/trusted-plugins.txt
 * }</pre>
 */
final class TrustList {

    /** The file name in {@code conf/}. */
    static final String FILE_NAME = "trusted-plugins.txt";

    private static final Pattern LINE = Pattern.compile("([0-9a-fA-F]{64})(?:\\s+\\*?(.*))?");

    private final Path file;
    private final Set<String> checksums;
    /** Checksums of files already hashed, by path, with the size and time they had. */
    private final Map<Path, Hashed> hashed = new HashMap<>();

    private record Hashed(long size, long modified, String sha256) {}

    private TrustList(Path file, Set<String> checksums) {
        this.file = file;
        this.checksums = Set.copyOf(checksums);
    }

    /**
     * @param file the allow-list, e.g. {@code conf/trusted-plugins.txt}; may be null
     * @return the list, or empty when there is no such file (nothing is checked then)
     * @throws UserException (config) when the file cannot be read or a line is not {@code sha256  name}:
     *     a locked-down installation must not fall back to loading everything
     */
    static Optional<TrustList> load(Path file) {
        if (file == null || !Files.exists(file)) {
            return Optional.empty();
        }
        Path f = file.toAbsolutePath().normalize();
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserException(UserException.BAD_CONFIG, "cannot read the plugin allow-list " + f + " ("
                    + e.getClass().getSimpleName() + "); fix its permissions or remove it to trust every plugin jar");
        }
        Set<String> sums = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new UserException(UserException.BAD_CONFIG, "plugin allow-list " + f + " line " + (i + 1)
                        + ": expected '<sha256>  <jar name>' as sha256sum prints it, found '" + abbreviate(line)
                        + "'");
            }
            sums.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return Optional.of(new TrustList(f, sums));
    }

    /** @return the allow-list file */
    Path file() {
        return file;
    }

    /** @return how many checksums it lists */
    int size() {
        return checksums.size();
    }

    /**
     * @param sha256 a checksum in hex
     * @return whether it is listed
     */
    boolean trusts(String sha256) {
        return checksums.contains(sha256.toLowerCase(Locale.ROOT));
    }

    /**
     * The checksum of a jar, computed again only when its size or modification time changed.
     *
     * @param jar a file
     * @return its SHA-256 in lower-case hex
     * @throws IOException when it cannot be read
     */
    synchronized String sha256(Path jar) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(jar, BasicFileAttributes.class);
        Hashed h = hashed.get(jar);
        if (h != null && h.size() == attrs.size() && h.modified() == attrs.lastModifiedTime().toMillis()) {
            return h.sha256();
        }
        String sum = digest(jar);
        hashed.put(jar, new Hashed(attrs.size(), attrs.lastModifiedTime().toMillis(), sum));
        return sum;
    }

    /**
     * @param jar a plugin jar
     * @return why it may not be loaded, or empty when it is listed
     */
    Optional<String> refusal(Path jar) {
        String sum;
        try {
            sum = sha256(jar);
        } catch (IOException e) {
            return Optional.of("cannot be checked against the allow-list " + file + ": " + e.getMessage());
        }
        if (trusts(sum)) {
            return Optional.empty();
        }
        return Optional.of("is not on the allow-list " + file + " (sha256 " + sum + "); to trust this jar add the"
                + " line '" + sum + "  " + jar.getFileName() + "' to it");
    }

    static String digest(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        StringBuilder sb = new StringBuilder(64);
        for (byte b : md.digest()) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
