namespace Supervision.Domain.Evidence;

/// <summary>What the uploader declared before sending the bytes.</summary>
public sealed record DeclaredFile(string FileName, long Size, string Sha256);

/// <summary>Why an upload was refused; <see cref="None"/> when it counts as evidence.</summary>
public enum EvidenceRejection
{
    None,
    Empty,
    TooLarge,
    TypeNotAllowed,
    SizeDiffersFromDeclared,
    HashDiffersFromDeclared,
}

public static class EvidenceRules
{
    public const int MaxFileNameLength = 255;

    public static bool IsSha256Hex(string? value) =>
        value is { Length: 64 } && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>
    /// Judges uploaded bytes against what was declared: only a file of an allowed kind (by content), within the limit,
    /// of the declared size and with the declared SHA-256 counts as evidence.
    /// </summary>
    public static EvidenceRejection Judge(DeclaredFile declared, long actualSize, string actualSha256, EvidenceFileKind? kind, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(declared);
        if (actualSize == 0)
            return EvidenceRejection.Empty;
        if (actualSize > maxBytes)
            return EvidenceRejection.TooLarge;
        if (kind is null)
            return EvidenceRejection.TypeNotAllowed;
        if (actualSize != declared.Size)
            return EvidenceRejection.SizeDiffersFromDeclared;
        return string.Equals(actualSha256, declared.Sha256, StringComparison.Ordinal)
            ? EvidenceRejection.None
            : EvidenceRejection.HashDiffersFromDeclared;
    }
}

/// <summary>A file sent inside a JSON request (a signed subcontract, a report as filed), as the client sent it.</summary>
public sealed record InlineFileDraft
{
    public string? FileName { get; init; }

    public string? ContentBase64 { get; init; }
}
