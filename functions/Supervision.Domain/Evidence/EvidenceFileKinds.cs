
namespace Supervision.Domain.Evidence;

/// <summary>The kinds of file accepted as evidence.</summary>
public enum EvidenceFileKind
{
    Pdf,
    Png,
    Jpeg,

    /// <summary>Word, Excel or PowerPoint (Office Open XML).</summary>
    OfficeDocument,
}

/// <summary>
/// Recognises an evidence file by its first bytes — its content signature — never by its name or declared type,
/// so a renamed executable is refused whatever it is called.
/// </summary>
public static class EvidenceFileKinds
{
    /// <summary>How many leading bytes <see cref="Detect"/> needs.</summary>
    public const int SignatureLength = 64;

    private static ReadOnlySpan<byte> PdfMagic => "%PDF-"u8;

    private static ReadOnlySpan<byte> PngMagic => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> JpegMagic => [0xFF, 0xD8, 0xFF];

    private static ReadOnlySpan<byte> ZipLocalHeader => [0x50, 0x4B, 0x03, 0x04];

    public static EvidenceFileKind? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(PdfMagic))
            return EvidenceFileKind.Pdf;
        if (head.StartsWith(PngMagic))
            return EvidenceFileKind.Png;
        if (head.StartsWith(JpegMagic))
            return EvidenceFileKind.Jpeg;
        if (head.StartsWith(ZipLocalHeader) && IsOfficeOpenXml(head))
            return EvidenceFileKind.OfficeDocument;
        return null;
    }

    public static string ContentType(EvidenceFileKind kind) => kind switch
    {
        EvidenceFileKind.Pdf => "application/pdf",
        EvidenceFileKind.Png => "image/png",
        EvidenceFileKind.Jpeg => "image/jpeg",
        _ => "application/vnd.openxmlformats-officedocument",
    };

    /// <summary>An Office Open XML package is a ZIP whose first entry is <c>[Content_Types].xml</c>; any other ZIP is refused.</summary>
    private static bool IsOfficeOpenXml(ReadOnlySpan<byte> head)
    {
        const int nameLengthOffset = 26;
        const int nameOffset = 30;
        if (head.Length < nameOffset)
            return false;
        int nameLength = head[nameLengthOffset] | (head[nameLengthOffset + 1] << 8);
        ReadOnlySpan<byte> expected = "[Content_Types].xml"u8;
        return nameLength == expected.Length
            && head.Length >= nameOffset + nameLength
            && head.Slice(nameOffset, nameLength).SequenceEqual(expected);
    }
}
