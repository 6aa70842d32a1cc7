from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Document
from .render import RendererUnavailable
from .services import document_pdf


def pdf(request, pk):
    """An issued document as PDF; public documents for everyone, the rest in jurisdiction (else 404)."""
    document = get_object_or_404(Document.objects.restrict(request.user, "view"), pk=pk)
    try:
        content = document_pdf(document=document)
    except RendererUnavailable as exc:
        return render(
            request, "documents/unavailable.html", {"document": document, "message": str(exc)}, status=503
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="document-{document.pk}.pdf"'
    return response


def html(request, pk):
    """The same document as a web page (for phones that cannot open PDFs, and when the renderer is missing)."""
    document = get_object_or_404(Document.objects.restrict(request.user, "view"), pk=pk)
    return HttpResponse(document.html)
