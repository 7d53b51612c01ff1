import type { CompShareClient, ImagePage } from "../../compshare/client.ts";
import type { ImagePageData } from "../views/image-list.ts";
import { type ListState, PAGE_SIZE } from "../views/list-state.ts";

/** Fetches one page of whichever list the state names, with the user's own client. */
export async function fetchImagePage(client: CompShareClient, state: ListState): Promise<ImagePageData> {
  const paging = { Offset: state.offset, Limit: PAGE_SIZE };
  let page: ImagePage;
  if (state.kind === "custom") page = await client.describeCustomImages(paging);
  else if (state.kind === "shared") page = await client.describeSharingImages(paging);
  else {
    const { name, type, author, tag } = state.filters;
    page = await client.describeImages({
      ...paging,
      ...(name ? { Name: name } : {}),
      ...(type ? { ImageType: type } : {}),
      ...(author ? { Author: author } : {}),
      ...(tag ? { Tag: tag } : {}),
    });
  }
  return { state, images: page.ImageSet, total: page.TotalCount };
}
