namespace Dsh.Imaging;

/// <summary>What an image file's header says, read without decoding any pixel (<see cref="DshImaging.Identify"/>).</summary>
/// <param name="Width">Width of the first frame in pixels.</param>
/// <param name="Height">Height of the first frame in pixels.</param>
/// <param name="Format">The format's name, e.g. "PNG", "JPEG".</param>
/// <param name="MimeType">The format's media type, e.g. "image/png".</param>
/// <param name="Extension">The format's usual file extension with its dot, e.g. ".png", ".jpg".</param>
public sealed record ImageFileInfo(int Width, int Height, string Format, string MimeType, string Extension);
