"""Run as `python -m bot.letters.pdftext REQUEST MEMORY`: a PDF on stdin → JSON text on stdout.

A separate process so that a hostile PDF costs at most the caller's timeout and this process's
memory limit; the answer is {"text": …} or {"error": code}.
"""

from __future__ import annotations

import io
import json
import logging
import sys


def _limit_memory(max_bytes: int) -> None:
    """Cap this process's address space and CPU time (POSIX only)."""
    try:
        import resource
    except ImportError:  # not POSIX: the caller's timeout still applies
        return
    resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))


def extract(data: bytes, max_pages: int, max_chars: int) -> dict[str, str]:
    """The text of every page, or an error code."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return {"error": "encrypted"}
        if len(reader.pages) > max_pages:
            return {"error": "too_many_pages"}
        parts: list[str] = []
        size = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            size += len(text)
            if size > max_chars:
                return {"error": "too_long"}
            parts.append(text)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return {"error": "corrupt"}
    except MemoryError:
        return {"error": "corrupt"}
    text = "\n".join(parts)
    if len(text.split()) < 20:
        return {"error": "no_text"}
    return {"text": text}


def main() -> None:
    """Read the request, the PDF, answer on stdout."""
    logging.disable(logging.CRITICAL)  # pypdf warns about odd files on stderr; not our answer
    request = json.loads(sys.argv[1])
    _limit_memory(int(sys.argv[2]))
    data = sys.stdin.buffer.read()
    answer = extract(data, int(request["max_pages"]), int(request["max_chars"]))
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))


if __name__ == "__main__":
    main()
