using Supervision.Domain.Common;
using Supervision.Domain.Evidence;

namespace Supervision.Evidence;

/// <summary>A file that came inside a request, decoded and of a kind evidence may be.</summary>
public sealed record InlineFile(string FileName, byte[] Bytes, EvidenceFileKind Kind)
{
    public string ContentType => EvidenceFileKinds.ContentType(Kind);
}

public static class InlineFiles
{
    /// <summary>
    /// Reads <paramref name="draft"/> as the field <paramref name="field"/>: a file name, base64 bytes, at most
    /// <paramref name="maxBytes"/>, and content that is a PDF, an image or an Office document. Null with the errors named otherwise.
    /// </summary>
    public static InlineFile? Read(InlineFileDraft? draft, string field, int maxBytes, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (draft is null)
        {
            errors.Add(field, "is required: fileName and contentBase64.");
            return null;
        }

        var own = new ValidationErrors();
        own.RequiredLine($"{field}.fileName", draft.FileName, EvidenceRules.MaxFileNameLength);
        byte[]? bytes = null;
        if (string.IsNullOrEmpty(draft.ContentBase64))
            own.Add($"{field}.contentBase64", "is required: the file's bytes in base64.");
        else
        {
            byte[] buffer = new byte[(draft.ContentBase64.Length * 3 / 4) + 3];
            if (Convert.TryFromBase64String(draft.ContentBase64, buffer, out int written))
                bytes = buffer[..written];
            else
                own.Add($"{field}.contentBase64", "must be base64.");
        }

        EvidenceFileKind? kind = null;
        if (bytes is { Length: 0 })
            own.Add($"{field}.contentBase64", "is empty.");
        else if (bytes is not null && bytes.Length > maxBytes)
            own.Add($"{field}.contentBase64", $"must be at most {maxBytes} bytes.");
        else if (bytes is not null && (kind = EvidenceFileKinds.Detect(bytes.AsSpan(0, Math.Min(bytes.Length, EvidenceFileKinds.SignatureLength)))) is null)
            own.Add($"{field}.contentBase64", "must be a PDF, an image (PNG, JPEG) or an Office document.");

        foreach ((string name, string[] messages) in own.ToDictionary())
            Array.ForEach(messages, message => errors.Add(name, message));
        return own.IsEmpty ? new InlineFile(draft.FileName!.Trim(), bytes!, kind!.Value) : null;
    }
}
