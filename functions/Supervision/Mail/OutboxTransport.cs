using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;
using Supervision.Domain.Common;

namespace Supervision.Mail;

/// <summary>
/// The local outbox: each mail becomes one RFC 5322 file (<c>.eml</c>, multipart/alternative with a UTF-8 text and
/// HTML part, 8-bit so it reads in a text editor, and opens in any mail program) in
/// <see cref="MailOptions.OutboxPath"/>, named by time and idempotency key so the newest sorts last.
/// </summary>
public sealed class OutboxTransport(IOptions<MailOptions> options, TimeProvider time) : IMailTransport
{
    public const string Name = "Outbox";

    /// <summary>The header carrying the idempotency key, as SendGrid carries it in its custom arguments.</summary>
    public const string IdempotencyKeyHeader = "X-Idempotency-Key";

    private const int MaxKeyLengthInFileName = 160;

    /// <summary>RFC 5322's limit on a line, in bytes without the CRLF.</summary>
    private const int MaxLineLength = 998;

    public async Task<MailReceipt> SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        DateTimeOffset now = time.GetUtcNow();
        string directory = options.Value.OutboxPath;
        Directory.CreateDirectory(directory);

        using MimeMessage message = ToMessage(mail, now);
        string fileName = FileName(now, mail.IdempotencyKey);
        string path = Path.Combine(directory, fileName);
        string partial = path + ".partial";
        await using (FileStream file = new(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await message.WriteToAsync(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, file, cancellationToken);
        }

        // A reader of the folder sees a whole mail or none.
        File.Move(partial, path);
        return new MailReceipt(Name, fileName);
    }

    public static MimeMessage ToMessage(OutgoingMail mail, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var message = new MimeMessage
        {
            Date = date,
            Subject = mail.Subject,
            MessageId = MimeUtils.GenerateMessageId(DomainOf(mail.From.Address)),
        };
        message.From.Add(new MailboxAddress(mail.From.Name ?? string.Empty, mail.From.Address));
        message.To.Add(new MailboxAddress(mail.To.Name ?? string.Empty, mail.To.Address));
        message.Headers.Add(IdempotencyKeyHeader, mail.IdempotencyKey);

        var body = new MultipartAlternative { Part("plain", mail.Text), Part("html", mail.Html) };
        body.Headers.Add(HeaderId.ContentLanguage, mail.Language.Code());
        message.Body = body;
        return message;
    }

    /// <summary><c>20270131T091500123Z-key</c>: UTC time to the millisecond, then the key with unsafe characters replaced.</summary>
    public static string FileName(DateTimeOffset at, string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        var key = new StringBuilder(Math.Min(idempotencyKey.Length, MaxKeyLengthInFileName));
        foreach (char c in idempotencyKey.Take(MaxKeyLengthInFileName))
            key.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        return $"{at.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{key}.eml";
    }

    private static TextPart Part(string subtype, string text)
    {
        var part = new TextPart(subtype);
        part.SetText(Encoding.UTF8, text);
        // 8-bit keeps Japanese readable in the file; lines too long for it fall back to quoted-printable.
        part.ContentTransferEncoding = part.GetBestEncoding(EncodingConstraint.EightBit, MaxLineLength);
        return part;
    }

    private static string DomainOf(string address) => address.LastIndexOf('@') is var at and >= 0 ? address[(at + 1)..] : "localhost";
}
