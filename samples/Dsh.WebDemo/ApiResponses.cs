namespace Dsh.WebDemo;

/// <summary>The body of <c>GET /api/status</c>.</summary>
public sealed record StatusResponse(
    string State, bool Ready, string Message, int GallerySize, int Bits, IReadOnlyList<string> Categories, string ModelSource);

/// <summary>One result of <c>POST /api/search</c>.</summary>
public sealed record SearchHit(long Id, string Category, int Distance, string ImageUrl, string File);

/// <summary>The body of <c>POST /api/search</c>.</summary>
public sealed record SearchResponse(int K, int Bits, double EncodeMs, double SearchMs, IReadOnlyList<SearchHit> Results);

/// <summary>The body of every error answer: one line.</summary>
public sealed record ErrorResponse(string Error);
