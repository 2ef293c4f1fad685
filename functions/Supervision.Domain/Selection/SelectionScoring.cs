namespace Supervision.Domain.Selection;

/// <summary>A finding that blocks selection until the supervisor has dealt with it and recorded why (1-4).</summary>
public sealed record Finding(string CriterionId, string Code, string Description);

/// <summary>The score of one criterion, between 0 and its weight, and why.</summary>
public sealed record CriterionScore(string CriterionId, decimal Score, int Weight, string Reason);

/// <summary>
/// How a contractor's answers and certificates measured against a version of the selection criteria (1-4):
/// kept with the decision so the principal can explain why the contractor was chosen.
/// </summary>
public sealed record ScoreBreakdown(string CriteriaVersion, IReadOnlyList<CriterionScore> Criteria, IReadOnlyList<Finding> BlockingFindings)
{
    public decimal Total => Criteria.Sum(criterion => criterion.Score);

    public int MaxTotal => Criteria.Sum(criterion => criterion.Weight);

    /// <summary>Total as a percentage of <see cref="MaxTotal"/>, one decimal.</summary>
    public decimal Percentage => MaxTotal == 0 ? 0m : Math.Round(Total * 100m / MaxTotal, 1, MidpointRounding.AwayFromZero);

    public bool HasBlockingFindings => BlockingFindings.Count > 0;
}

public static class SelectionScoring
{
    /// <summary>
    /// Scores answers (question id → "yes"/"no"/text, as <see cref="Vendors.AnswerRules"/> accepts them) and certificates against
    /// <paramref name="criteria"/>.
    /// <list type="bullet">
    /// <item>An answer-scored criterion earns its weight times the share of its scored questions answered favourably, rounded to
    /// two decimals; a missing answer counts as unfavourable. An unfavourable or missing answer to a blocking question is a finding.</item>
    /// <item>The certification criterion earns its full weight for a valid certificate, half for one that is only expiring soon,
    /// nothing otherwise. An expired or lapsed certificate is a finding unless a current certificate of the same kind replaces it.</item>
    /// </list>
    /// </summary>
    public static ScoreBreakdown Score(
        SelectionCriteria criteria,
        IReadOnlyDictionary<string, string?> answers,
        IReadOnlyList<Certificate> certificates,
        DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(certificates);
        var scores = new List<CriterionScore>();
        var findings = new List<Finding>();
        foreach (Criterion criterion in criteria.Criteria)
        {
            scores.Add(criterion.Kind == CriterionKind.Certification
                ? ScoreCertificates(criterion, certificates, today, findings)
                : ScoreAnswers(criterion, answers, findings));
        }

        return new ScoreBreakdown(criteria.Version, scores, findings);
    }

    private static CriterionScore ScoreAnswers(Criterion criterion, IReadOnlyDictionary<string, string?> answers, List<Finding> findings)
    {
        var unfavourable = new List<string>();
        foreach ((string questionId, string favourable) in criterion.FavourableAnswers)
        {
            string? answer = answers.GetValueOrDefault(questionId)?.Trim();
            if (!string.Equals(answer, favourable, StringComparison.Ordinal))
                unfavourable.Add(string.IsNullOrEmpty(answer) ? $"{questionId} not answered" : $"{questionId} = {answer}");
        }

        int scored = criterion.FavourableAnswers.Count;
        int met = scored - unfavourable.Count;
        decimal score = scored == 0 ? 0m : Math.Round(criterion.Weight * (decimal)met / scored, 2, MidpointRounding.AwayFromZero);
        foreach (BlockingAnswer blocking in criterion.BlockingAnswers)
        {
            string? answer = answers.GetValueOrDefault(blocking.QuestionId)?.Trim();
            if (!string.Equals(answer, criterion.FavourableAnswers.GetValueOrDefault(blocking.QuestionId), StringComparison.Ordinal))
                findings.Add(new Finding(criterion.Id, blocking.FindingCode, blocking.Description));
        }

        string reason = unfavourable.Count == 0
            ? $"{met} of {scored} answers favourable."
            : $"{met} of {scored} answers favourable; not met: {string.Join(", ", unfavourable)}.";
        return new CriterionScore(criterion.Id, score, criterion.Weight, reason);
    }

    private static CriterionScore ScoreCertificates(Criterion criterion, IReadOnlyList<Certificate> certificates, DateOnly today, List<Finding> findings)
    {
        var statuses = certificates.Select(certificate => (Certificate: certificate, Status: CertificateRules.Status(certificate, today))).ToList();
        foreach ((Certificate certificate, CertificateStatus status) in statuses)
        {
            bool stale = status is CertificateStatus.Expired or CertificateStatus.Lapsed;
            bool replaced = statuses.Any(other => other.Certificate.Kind == certificate.Kind && other.Status is CertificateStatus.Valid or CertificateStatus.ExpiringSoon);
            if (stale && !replaced)
            {
                findings.Add(status == CertificateStatus.Lapsed
                    ? new Finding(criterion.Id, "lapsed-certificate", $"{certificate.Kind} certificate to a superseded edition lapsed after {CertificateRules.Iso27001TransitionDeadline:yyyy-MM-dd}")
                    : new Finding(criterion.Id, "expired-certificate", $"{certificate.Kind} certificate expired on {certificate.ExpiresOn:yyyy-MM-dd}"));
            }
        }

        if (statuses.Any(entry => entry.Status == CertificateStatus.Valid))
            return new CriterionScore(criterion.Id, criterion.Weight, criterion.Weight, "A valid certificate is held.");
        if (statuses.Any(entry => entry.Status == CertificateStatus.ExpiringSoon))
        {
            decimal half = Math.Round(criterion.Weight / 2m, 2, MidpointRounding.AwayFromZero);
            return new CriterionScore(criterion.Id, half, criterion.Weight, "Certificates held are all due for renewal: half the weight.");
        }

        return new CriterionScore(
            criterion.Id,
            0m,
            criterion.Weight,
            certificates.Count == 0 ? "No certificate presented." : "No certificate presented is current.");
    }
}
