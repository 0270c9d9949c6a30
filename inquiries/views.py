from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse("todo")


inquiry_list_view = inquiry_create_view = work_queue_view = inquiry_settings_view = _todo
inquiry_detail_view = inquiry_cancel_view = work_item_view = _todo
