using System.Text.Json;

namespace Supervision.Evidence;

/// <summary>What a contractor submitted for one request: the latest answers and every accepted upload, oldest first.</summary>
public sealed record RequestSubmission(IReadOnlyDictionary<string, string?> Answers, IReadOnlyList<EvidenceRecord> Uploads, IReadOnlyList<EvidenceRecord> All)
{
    /// <summary>The file the page stores a request's answers in, as system evidence.</summary>
    public const string AnswersFileName = "answers.json";

    public string? Answer(string questionId) => Answers.GetValueOrDefault(questionId)?.Trim();

    /// <summary>
    /// Reads the submission back from the evidence store: the answers in force, as the request row records them (answers
    /// that raced the submit and lost were refused, and are never read); for a request answered before the row recorded
    /// them, the newest <see cref="AnswersFileName"/>.
    /// </summary>
    public static async Task<RequestSubmission> ReadAsync(EvidenceStore evidence, string engagementId, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        IReadOnlyList<EvidenceRecord> items = await evidence.ListAsync(engagementId, requestId, cancellationToken);
        string? inForce = await evidence.AnswersInForceAsync(engagementId, requestId, cancellationToken);
        EvidenceRecord? answersEvidence = items
            .Where(item => item.UploaderLinkId == EvidenceStore.SystemUploader && item.OriginalFileName == AnswersFileName && item.EvidenceBlobName is not null)
            .Where(item => inForce is null || item.EvidenceId == inForce)
            .OrderByDescending(item => item.CreatedAt)
            .FirstOrDefault();
        var answers = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (answersEvidence is not null)
        {
            BinaryData document = await evidence.ReadAsync(answersEvidence, cancellationToken);
            using JsonDocument stored = JsonDocument.Parse(document.ToMemory());
            if (stored.RootElement.TryGetProperty("answers", out JsonElement given) && given.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty answer in given.EnumerateObject())
                    answers[answer.Name] = answer.Value.ValueKind == JsonValueKind.String ? answer.Value.GetString() : null;
            }
        }

        EvidenceRecord[] uploads = [.. items
            .Where(item => item.UploaderLinkId != EvidenceStore.SystemUploader && item.Status == nameof(EvidenceStatus.Accepted))
            .OrderBy(item => item.CreatedAt)];
        return new RequestSubmission(answers, uploads, [.. items.Where(item => item.EvidenceBlobName is not null)]);
    }
}
