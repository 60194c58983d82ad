namespace Dsh.Data;

/// <summary>Sketch or photo: the two sides of a dataset.</summary>
internal enum ImageDomain
{
    Sketch,
    Photo,
}
